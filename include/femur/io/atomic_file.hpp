// Writes a file so that it appears only complete: the content goes to
// "<path>.femur-tmp-<pid>" and is renamed over `path` when the writer succeeded. A failed
// write leaves no file (and never a partial one) at `path`; a temporary file left by a
// killed run is removed by the next write of the same path. Commands that write several
// files use io::OutputFiles (output_files.hpp), which commits them together.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace femur::io {

// Calls `write` with a stream on a temporary file beside `path`, then renames it to `path`.
// Throws std::runtime_error naming the path if the file cannot be written; the temporary
// file is removed whatever happens.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write);

// Same, for content already in memory.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace femur::io
