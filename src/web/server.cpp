// femur view's server (server.hpp). Signals are taken by one thread with sigwait, which then
// stops the server: nothing runs inside a signal handler.
#include "femur/web/server.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

#include "femur/web/page.hpp"

namespace femur::web {

void serve_view(const std::string& title, const std::string& scene_json, const ServeOptions& options,
                const std::function<void(const std::string& url)>& on_listening) {
  const std::string page = served_page(title);
  const std::string_view script = viewer_script();

  // Block SIGINT and SIGTERM before any server thread starts (they inherit the mask); the
  // waiter below receives them.
  sigset_t signals, previous;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  httplib::Server server;
  int port = 0;
  auto host_ok = [&port](const httplib::Request& req) {
    const std::string host = req.get_header_value("Host");
    return host == fmt::format("127.0.0.1:{}", port) || host == fmt::format("localhost:{}", port);
  };
  server.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    if (host_ok(req)) return httplib::Server::HandlerResponse::Unhandled;
    res.status = 403;
    res.set_content("forbidden: unexpected Host header\n", "text/plain");
    return httplib::Server::HandlerResponse::Handled;
  });
  auto common = [](httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Cache-Control", "no-store");
  };
  server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
    common(res);
    res.set_content(page, "text/html; charset=utf-8");
  });
  // Sent uncompressed: on 127.0.0.1 compression only costs time, and cpp-httplib answers a
  // browser's "Accept-Encoding: br" with brotli at its slowest quality (seconds for a scene of
  // a few MB). It compresses only text/* and a few exact types; with a charset parameter
  // these two types are not among them.
  server.Get("/viewer.js", [&](const httplib::Request&, httplib::Response& res) {
    common(res);
    res.set_content(script.data(), script.size(), "application/javascript; charset=utf-8");
  });
  server.Get("/scene.json", [&](const httplib::Request&, httplib::Response& res) {
    common(res);
    res.set_content(scene_json, "application/json; charset=utf-8");
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404) res.set_content("not found\n", "text/plain");
  });

  port = options.port == 0 ? server.bind_to_any_port("127.0.0.1") : (server.bind_to_port("127.0.0.1", options.port) ? options.port : -1);
  if (port <= 0) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    throw std::runtime_error(fmt::format("cannot listen on 127.0.0.1:{} (port in use?)", options.port));
  }

  std::atomic<bool> signalled{false}, listen_returned{false};
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    signalled = true;
    // A signal may come before listen has started: stop() on a server not yet running does
    // nothing, so wait for it to run (or for listen to have returned on its own).
    while (!server.is_running() && !listen_returned) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server.stop();
  });
  on_listening(fmt::format("http://127.0.0.1:{}/", port));
  server.listen_after_bind();
  listen_returned = true;
  // listen returns after stop(); if it returned on its own, wake the waiter and report it.
  const bool stopped_by_signal = signalled;
  if (!stopped_by_signal) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!stopped_by_signal) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    throw std::runtime_error(fmt::format("the server on 127.0.0.1:{} stopped unexpectedly", port));
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

}  // namespace femur::web
