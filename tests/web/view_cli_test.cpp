// femur view on the command line: the server answers only its page, script and scene (path
// traversal and absolute paths get 404, no listing, a foreign Host header 403), listens on
// 127.0.0.1 only and stops cleanly on Ctrl-C; --export writes one self-contained file;
// usage errors exit 2, bad input 1 with the file named.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "femur/web/page.hpp"
#include "support/test_data.hpp"

namespace {
namespace fs = std::filesystem;

fs::path hip_model_file() { return femur::test::source_dir() / "models" / "femur_hip.osim"; }

// `femur view ARGS` running in the background, with its first stdout line (the URL).
class ViewServer {
 public:
  explicit ViewServer(const std::vector<std::string>& args) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv{const_cast<char*>(FEMUR_CLI), const_cast<char*>("view")};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(FEMUR_CLI, argv.data());
      _exit(127);
    }
    close(out[1]);
    fd_ = out[0];
    line_ = read_line(std::chrono::seconds(60));
    const std::smatch m = [&] {
      std::smatch r;
      std::regex_search(line_, r, std::regex("http://127\\.0\\.0\\.1:(\\d+)/"));
      return r;
    }();
    if (m.size() == 2) port_ = std::stoi(m[1]);
  }
  ~ViewServer() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }

  int port() const { return port_; }
  const std::string& first_line() const { return line_; }

  // Sends SIGINT and waits up to `timeout` for the exit; returns the exit code (-1: none).
  int interrupt(std::chrono::seconds timeout) {
    kill(pid_, SIGINT);
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

  std::string rest_of_output(std::chrono::seconds timeout) {
    std::string s;
    for (std::string l; !(l = read_line(timeout)).empty();) s += l;
    return s;
  }

 private:
  std::string read_line(std::chrono::seconds timeout) {
    std::string s;
    const auto end = std::chrono::steady_clock::now() + timeout;
    char c;
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      if (read(fd_, &c, 1) != 1) break;
      s.push_back(c);
      if (c == '\n') break;
    }
    return s;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  int port_ = 0;
  bool reaped_ = false;
  std::string line_;
};

struct Reply {
  int status = 0;
  std::string head, body;
};

// One raw HTTP/1.1 request, so the path goes out exactly as written (no client normalizes it).
Reply request(int port, const std::string& target, const std::string& host = "", const std::string& accept_encoding = "") {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(s);
    return {};
  }
  const std::string req = "GET " + target + " HTTP/1.1\r\nHost: " + (host.empty() ? "127.0.0.1:" + std::to_string(port) : host) +
                          (accept_encoding.empty() ? "" : "\r\nAccept-Encoding: " + accept_encoding) +
                          "\r\nConnection: close\r\n\r\n";
  (void)!write(s, req.data(), req.size());
  std::string all;
  char buf[65536];
  for (ssize_t n; (n = read(s, buf, sizeof buf)) > 0;) all.append(buf, static_cast<std::size_t>(n));
  close(s);
  Reply r;
  const auto split = all.find("\r\n\r\n");
  r.head = all.substr(0, split);
  r.body = split == std::string::npos ? "" : all.substr(split + 4);
  if (all.size() > 12) r.status = std::atoi(all.substr(9, 3).c_str());
  return r;
}

TEST(ViewServer, ServesItsPageScriptAndSceneAndNothingElse) {
  ViewServer server({hip_model_file().string(), "--quiet"});
  ASSERT_GT(server.port(), 0) << server.first_line();
  const int port = server.port();

  const Reply page = request(port, "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.head.find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("data-scene-url=\"scene.json\""), std::string::npos);
  const Reply script = request(port, "/viewer.js", "", "gzip, deflate, br");  // as a browser asks
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.head.find("Content-Encoding"), std::string::npos);  // sent as it is
  EXPECT_EQ(script.body, std::string(femur::web::viewer_script()));
  const Reply scene = request(port, "/scene.json");
  EXPECT_EQ(scene.status, 200);
  EXPECT_EQ(nlohmann::json::parse(scene.body)["format"], "femur-view");

  // Path traversal, absolute paths (of files that exist), encoded dots, directories: 404.
  for (const std::string& target : std::vector<std::string>{"/../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd", "//etc/passwd",
        hip_model_file().string(), "/models/", "/models/femur_hip.osim", "/scene.json/../../etc/passwd",
        "/index.html", "/favicon.ico", "http://127.0.0.1/etc/passwd"}) {
    SCOPED_TRACE(target);
    const Reply r = request(port, target);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
  }
  // A page of another site reaching this port through DNS rebinding sends its own Host.
  EXPECT_EQ(request(port, "/scene.json", "attacker.example:" + std::to_string(port)).status, 403);
  EXPECT_EQ(request(port, "/", "localhost:" + std::to_string(port)).status, 200);

  EXPECT_EQ(server.interrupt(std::chrono::seconds(10)), 0);
}

TEST(ViewServer, ListensOnLoopbackOnly) {
  ViewServer server({hip_model_file().string(), "--quiet"});
  ASSERT_GT(server.port(), 0) << server.first_line();
  // /proc/net/tcp: local address as hex IP:port; state 0A = LISTEN. 0100007F = 127.0.0.1.
  std::ifstream tcp("/proc/net/tcp");
  std::string line;
  int listening = 0;
  char port_hex[8];
  std::snprintf(port_hex, sizeof port_hex, "%04X", server.port());
  while (std::getline(tcp, line)) {
    std::istringstream in(line);
    std::string slot, local, remote, state;
    in >> slot >> local >> remote >> state;
    if (state != "0A" || local.substr(local.find(':') + 1) != port_hex) continue;
    ++listening;
    EXPECT_EQ(local.substr(0, local.find(':')), "0100007F") << line;
  }
  EXPECT_EQ(listening, 1);
  std::ifstream tcp6("/proc/net/tcp6");
  while (std::getline(tcp6, line)) EXPECT_EQ(line.find(":" + std::string(port_hex) + " "), std::string::npos) << line;
  EXPECT_EQ(server.interrupt(std::chrono::seconds(10)), 0);
}

TEST(ViewServer, StopsCleanlyOnCtrlC) {
  ViewServer server({hip_model_file().string()});
  ASSERT_GT(server.port(), 0) << server.first_line();
  EXPECT_NE(server.first_line().find("Ctrl-C stops"), std::string::npos);
  EXPECT_EQ(request(server.port(), "/").status, 200);
  EXPECT_EQ(server.interrupt(std::chrono::seconds(10)), 0);
  EXPECT_NE(server.rest_of_output(std::chrono::seconds(2)).find("femur view: stopped"), std::string::npos);
}

// Ctrl-C right after the URL is printed, before the server has started listening: still a
// clean stop (stop() on a server not yet running would do nothing).
TEST(ViewServer, StopsWhenCtrlCComesAtOnce) {
  for (int i = 0; i < 5; ++i) {
    ViewServer server({hip_model_file().string(), "--quiet"});
    ASSERT_GT(server.port(), 0) << server.first_line();
    EXPECT_EQ(server.interrupt(std::chrono::seconds(10)), 0);
  }
}

TEST(ViewCli, ExportWritesOneSelfContainedFile) {
  const fs::path dir = femur::test::temp_dir("view-export");
  const auto r = femur::test::run_cli("view \"" + hip_model_file().string() + "\" --export \"" + (dir / "sub" / "hip.html").string() + "\"");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote "), std::string::npos);
  const std::string html = femur::test::read_text(dir / "sub" / "hip.html");
  EXPECT_NE(html.find("<script type=\"application/json\" id=\"femur-scene\">{\"format\":\"femur-view\""), std::string::npos);
  EXPECT_NE(html.find(std::string(femur::web::viewer_script())), std::string::npos);
  // Nothing fetched: no src= or href= other than the empty data: icon.
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  for (const auto& e : fs::directory_iterator(dir / "sub")) EXPECT_EQ(e.path().filename(), "hip.html");  // no temporaries
}

TEST(ViewCli, UsageErrorsExitTwoAndBadInputOne) {
  EXPECT_EQ(femur::test::run_cli("view").exit_code, 2);  // no model
  EXPECT_EQ(femur::test::run_cli("view \"" + hip_model_file().string() + "\" --export x.html --port 8000").exit_code, 2);
  EXPECT_EQ(femur::test::run_cli("view \"" + hip_model_file().string() + "\" --max-rate -5").exit_code, 2);
  EXPECT_EQ(femur::test::run_cli("view /nonexistent/model.osim").exit_code, 2);  // CLI11 checks the file exists

  const fs::path motion = femur::test::source_dir() / "tests" / "data" / "bad" / "view_motion_unknown_columns.mot";
  const fs::path dir = femur::test::temp_dir("view-bad");
  const auto r = femur::test::run_cli("view \"" + hip_model_file().string() + "\" --motion \"" + motion.string() +
                                      "\" --export \"" + (dir / "x.html").string() + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("femur: error: " + motion.string() + ": 2 column(s) name nothing in model 'femur_hip': knee_angel_r, hip_flex"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "x.html"));  // no partial output

  const fs::path broken = femur::test::source_dir() / "tests" / "data" / "bad" / "osim_truncated.osim";
  const auto b = femur::test::run_cli("view \"" + broken.string() + "\" --export \"" + (dir / "y.html").string() + "\"");
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_NE(b.err.find("femur: error: " + broken.string() + ":"), std::string::npos) << b.err;
}

// A contact-geometry file that is not a ContactGeometrySet, or names a frame the model lacks:
// exit 1, the file and line named, nothing written.
TEST(ViewCli, BadContactGeometryFilesNameFileAndLine) {
  const fs::path dir = femur::test::temp_dir("view-bad-contact");
  const fs::path bad_dir = femur::test::source_dir() / "tests" / "data" / "bad";
  const fs::path not_a_set = bad_dir / "view_contact_geometry_not_a_set.xml";
  const auto a = femur::test::run_cli("view \"" + hip_model_file().string() + "\" --contact-geometry \"" +
                                      not_a_set.string() + "\" --export \"" + (dir / "a.html").string() + "\"");
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_NE(a.err.find("femur: error: " + not_a_set.string() + ":2: expected a <ContactGeometrySet>"), std::string::npos)
      << a.err;
  const fs::path unknown = bad_dir / "view_contact_geometry_unknown_frame.xml";
  const auto b = femur::test::run_cli("view \"" + hip_model_file().string() + "\" --contact-geometry \"" +
                                      unknown.string() + "\" --export \"" + (dir / "b.html").string() + "\"");
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_NE(b.err.find("femur: error: " + unknown.string() +
                       ":6: ContactSphere 'heel': <socket_frame> '/bodyset/no_such_calcn' names no body or frame"),
            std::string::npos)
      << b.err;
  EXPECT_FALSE(fs::exists(dir / "a.html"));
  EXPECT_FALSE(fs::exists(dir / "b.html"));
}

TEST(ViewCli, HelpHasExamples) {
  const auto r = femur::test::run_cli("view --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("--joint-reaction"), std::string::npos);
  EXPECT_NE(r.out.find("--export"), std::string::npos);
  EXPECT_NE(r.out.find("--contact-geometry"), std::string::npos);
}

}  // namespace
