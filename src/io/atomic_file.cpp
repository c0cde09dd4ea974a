#include "femur/io/atomic_file.hpp"

#include <fstream>
#include <stdexcept>
#include <system_error>

#include "femur/io/output_files.hpp"

namespace femur::io {
namespace fs = std::filesystem;

void write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  remove_stale_temporaries(path);  // left by a run that was killed
  const fs::path tmp = temporary_path(path);
  struct RemoveOnExit {
    const fs::path& p;
    bool keep = false;
    ~RemoveOnExit() {
      std::error_code ec;
      if (!keep) fs::remove(p, ec);
    }
  } guard{tmp};
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(path.string() + ": cannot open for writing");
    write(out);
    out.flush();
    if (!out) throw std::runtime_error(path.string() + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw std::runtime_error(path.string() + ": cannot rename temporary file: " + ec.message());
  guard.keep = true;
}

void write_file_atomically(const fs::path& path, const std::string& content) {
  write_file_atomically(path, [&](std::ostream& out) { out << content; });
}

}  // namespace femur::io
