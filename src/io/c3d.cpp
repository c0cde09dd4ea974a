// C3D reader: header, parameter section, 3D point and analog data.
// Format facts cite Motion Lab Systems, "The C3D File Format: A Technical User Guide"
// (c3d.org/HTML/Documents/*.htm), by section title. Force plates are in c3d_forceplate.cpp.
#include "femur/io/c3d.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "femur/io/error.hpp"

namespace femur::io {
namespace {

constexpr std::int64_t kBlock = 512;  // C3D files are organised in 512-byte blocks

enum Processor { kIntel = 84, kDec = 85, kMips = 86 };

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string rtrim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

// Bounds-checked access to the file bytes, in the byte order of the processor type.
class Bytes {
 public:
  Bytes(std::span<const std::uint8_t> data, const std::string& name) : data_(data), name_(name) {}

  std::int64_t size() const { return static_cast<std::int64_t>(data_.size()); }
  void set_processor(int p) { processor_ = p; }
  int processor() const { return processor_; }

  [[noreturn]] void fail(std::int64_t offset, const std::string& message) const {
    throw ParseError(name_, 0, "byte " + std::to_string(offset) + ": " + message);
  }
  // Throws unless [offset, offset + n) lies inside the file.
  void need(std::int64_t offset, std::int64_t n, const std::string& what) const {
    if (offset < 0 || n < 0 || offset > size() || n > size() - offset)
      fail(offset, what + " needs " + std::to_string(n) + " bytes but the file ends at byte " +
                       std::to_string(size()) + " (truncated file?)");
  }

  std::uint8_t u8(std::int64_t o) const { return data_[static_cast<size_t>(o)]; }
  std::int8_t i8(std::int64_t o) const { return static_cast<std::int8_t>(u8(o)); }
  std::uint16_t u16(std::int64_t o) const {
    const std::uint8_t a = u8(o), b = u8(o + 1);
    // Intel and DEC store integers little-endian, SGI/MIPS big-endian
    // (User Guide, "Parameter header": processor type byte).
    return processor_ == kMips ? static_cast<std::uint16_t>(a << 8 | b)
                               : static_cast<std::uint16_t>(b << 8 | a);
  }
  std::int16_t i16(std::int64_t o) const { return static_cast<std::int16_t>(u16(o)); }
  float f32(std::int64_t o) const {
    std::uint8_t b[4] = {u8(o), u8(o + 1), u8(o + 2), u8(o + 3)};
    std::uint32_t bits = 0;
    if (processor_ == kMips) {
      bits = std::uint32_t(b[0]) << 24 | std::uint32_t(b[1]) << 16 | std::uint32_t(b[2]) << 8 | b[3];
    } else if (processor_ == kDec) {
      // DEC (VAX F_floating) keeps the 16-bit words of the value in the other order and has
      // an exponent bias 2 higher than IEEE: swap the words, read as IEEE, divide by 4
      // (User Guide, "DEC, Intel, and SGI/MIPS").
      bits = std::uint32_t(b[1]) << 24 | std::uint32_t(b[0]) << 16 | std::uint32_t(b[3]) << 8 | b[2];
      return std::bit_cast<float>(bits) * 0.25f;
    } else {
      bits = std::uint32_t(b[3]) << 24 | std::uint32_t(b[2]) << 16 | std::uint32_t(b[1]) << 8 | b[0];
    }
    return std::bit_cast<float>(bits);
  }
  // Sign bit of a stored float (works for every processor type).
  bool f32_negative(std::int64_t o) const {
    if (processor_ == kMips) return u8(o) & 0x80;
    if (processor_ == kDec) return u8(o + 1) & 0x80;
    return u8(o + 3) & 0x80;
  }
  std::string chars(std::int64_t o, std::int64_t n) const {
    return std::string(reinterpret_cast<const char*>(data_.data() + o), static_cast<size_t>(n));
  }

 private:
  std::span<const std::uint8_t> data_;
  const std::string& name_;
  int processor_ = kIntel;
};

// --- Parameter section (User Guide, "Group Format", "Parameter Format") ------------------
// Each record: int8 name length (negative = locked), int8 id (negative = group, positive =
// parameter of that group), the name, int16 offset from this word to the next record (0 =
// last), then for a group a description; for a parameter int8 type (-1 char, 1 byte,
// 2 int16, 4 float), int8 number of dimensions, the dimensions (uint8), the data (first
// dimension varying fastest) and a description.
void read_parameters(const Bytes& f, std::int64_t start, C3dFile& c3d) {
  std::map<int, std::string> group_names;
  std::vector<std::pair<int, C3dParameter>> pending;
  std::int64_t pos = start;
  const std::int64_t end = f.size();
  while (true) {
    if (pos + 2 > end) f.fail(pos, "parameter section runs past the end of the file without a last record");
    const int name_length = f.i8(pos);
    const int id = f.i8(pos + 1);
    if (name_length == 0 || id == 0) break;  // an empty record ends the section
    const std::int64_t n = std::abs(name_length);
    f.need(pos + 2, n + 2, "parameter record name");
    std::string name = upper(rtrim(f.chars(pos + 2, n)));
    const std::int64_t offset_word = pos + 2 + n;
    const int next = f.i16(offset_word);
    const std::int64_t next_record = next == 0 ? -1 : offset_word + next;
    if (next != 0 && next < 2)
      f.fail(offset_word, "record '" + name + "' points to the next record at offset " + std::to_string(next) +
                              " (must be forward)");
    std::int64_t body = offset_word + 2;
    if (id < 0) {
      f.need(body, 1, "group '" + name + "' description length");
      const std::int64_t dlen = f.u8(body);
      std::string description;
      if (body + 1 + dlen <= end) description = rtrim(f.chars(body + 1, dlen));
      group_names[-id] = name;
    } else {
      C3dParameter p;
      p.name = name;
      p.locked = name_length < 0;
      p.byte_offset = pos;
      f.need(body, 2, "parameter '" + name + "' type and dimension count");
      p.type = f.i8(body);
      const int ndims = f.i8(body + 1);
      if (p.type != -1 && p.type != 1 && p.type != 2 && p.type != 4)
        f.fail(body, "parameter '" + name + "' has type " + std::to_string(p.type) +
                         " (expected -1 char, 1 byte, 2 int16 or 4 float)");
      if (ndims < 0) f.fail(body + 1, "parameter '" + name + "' has " + std::to_string(ndims) + " dimensions");
      f.need(body + 2, ndims, "parameter '" + name + "' dimensions");
      std::int64_t count = 1;
      const std::int64_t element = std::abs(p.type);
      for (int d = 0; d < ndims; ++d) {
        const int dim = f.u8(body + 2 + d);
        p.dimensions.push_back(dim);
        count *= dim;
        // Caps the product by the bytes left, so a corrupt dimension list cannot overflow
        // or make us allocate more than the file could hold.
        if (count * element > end - (body + 2 + ndims))
          f.fail(body + 2, "parameter '" + name + "' dimensions multiply to more data than the file holds");
      }
      const std::int64_t data = body + 2 + ndims;
      const std::int64_t bytes = count * element;
      f.need(data, bytes, "parameter '" + name + "' data");
      if (next_record > 0 && data + bytes > next_record)
        f.fail(data, "parameter '" + name + "' data (" + std::to_string(bytes) +
                         " bytes) overruns the next record at byte " + std::to_string(next_record));
      if (p.type == -1) {
        const std::int64_t len = ndims == 0 ? 1 : p.dimensions[0];
        const std::int64_t nstr = len == 0 ? 0 : count / len;
        p.strings.reserve(static_cast<size_t>(nstr));
        for (std::int64_t s = 0; s < nstr; ++s) p.strings.push_back(rtrim(f.chars(data + s * len, len)));
      } else {
        p.values.resize(static_cast<size_t>(count));
        for (std::int64_t k = 0; k < count; ++k) {
          const std::int64_t o = data + k * element;
          p.values[static_cast<size_t>(k)] = p.type == 1 ? double(f.u8(o)) : p.type == 2 ? double(f.i16(o)) : double(f.f32(o));
        }
      }
      const std::int64_t desc = data + bytes;
      if (desc < end) {
        const std::int64_t dlen = f.u8(desc);
        if (desc + 1 + dlen <= end && (next_record < 0 || desc + 1 + dlen <= next_record))
          p.description = rtrim(f.chars(desc + 1, dlen));
      }
      pending.emplace_back(id, std::move(p));
    }
    if (next_record < 0) break;
    pos = next_record;
  }
  for (auto& [id, p] : pending) {
    auto g = group_names.find(id);
    if (g == group_names.end()) {
      c3d.warnings.push_back("parameter '" + p.name + "' belongs to undefined group " + std::to_string(id));
      p.group = "GROUP" + std::to_string(id);
    } else {
      p.group = g->second;
    }
    std::string key = p.group + ":" + p.name;
    c3d.parameters.insert_or_assign(std::move(key), std::move(p));
  }
}

// Concatenates GROUP:NAME, NAME2, NAME3... (User Guide, "POINT:LABELS2") up to `wanted`.
// The byte offset of a parameter, for messages (`fallback` when the file has none).
std::int64_t p_offset(const C3dFile& c3d, const std::string& key, std::int64_t fallback) {
  const C3dParameter* p = c3d.parameter(key);
  return p ? p->byte_offset : fallback;
}

std::vector<std::string> strings_of(const C3dFile& c3d, const std::string& key) {
  std::vector<std::string> out;
  for (int k = 1;; ++k) {
    const C3dParameter* p = c3d.parameter(k == 1 ? key : key + std::to_string(k));
    if (!p) break;
    out.insert(out.end(), p->strings.begin(), p->strings.end());
  }
  return out;
}

std::vector<double> numbers_of(const C3dFile& c3d, const std::string& key) {
  std::vector<double> out;
  for (int k = 1;; ++k) {
    const C3dParameter* p = c3d.parameter(k == 1 ? key : key + std::to_string(k));
    if (!p) break;
    out.insert(out.end(), p->values.begin(), p->values.end());
  }
  return out;
}

// An int16 count stored by writers as unsigned (frames and block numbers above 32767).
std::int64_t unsigned_count(const C3dParameter& p) {
  const std::int64_t v = p.integer();
  return p.type == 2 && v < 0 ? v + 65536 : v;
}

}  // namespace

std::int64_t C3dParameter::integer(std::size_t i, std::int64_t fallback) const {
  if (i >= values.size()) return fallback;
  const double v = values[i];
  constexpr double kMax = 9007199254740992.0;  // 2^53
  if (!(v == v)) return 0;
  return static_cast<std::int64_t>(std::clamp(v, -kMax, kMax));
}

int C3dParameter::count() const {
  int n = 1;
  for (int d : dimensions) n *= d;
  return n;
}

const C3dParameter* C3dFile::parameter(std::string_view group_colon_name) const {
  auto it = parameters.find(upper(group_colon_name));
  return it == parameters.end() ? nullptr : &it->second;
}

int C3dFile::point_index(std::string_view label) const {
  for (size_t i = 0; i < point_labels.size(); ++i)
    if (point_labels[i] == label) return static_cast<int>(i);
  return -1;
}

std::vector<int> C3dFile::marker_indices() const {
  std::vector<std::string> modelled;
  for (const char* key : {"POINT:ANGLES", "POINT:FORCES", "POINT:MOMENTS", "POINT:POWERS", "POINT:SCALARS"}) {
    auto names = strings_of(*this, key);
    modelled.insert(modelled.end(), names.begin(), names.end());
  }
  std::vector<int> out;
  for (size_t i = 0; i < point_labels.size(); ++i)
    if (std::find(modelled.begin(), modelled.end(), point_labels[i]) == modelled.end()) out.push_back(static_cast<int>(i));
  return out;
}

int C3dFile::analog_index(std::string_view label) const {
  for (size_t i = 0; i < analog_labels.size(); ++i)
    if (analog_labels[i] == label) return static_cast<int>(i);
  return -1;
}

double C3dFile::metres_per_point_unit() const {
  const std::string u = upper(point_units);
  if (u == "MM") return 1e-3;
  if (u == "CM") return 1e-2;
  if (u == "DM") return 1e-1;
  if (u == "IN") return 0.0254;
  return 1.0;
}

C3dFile parse_c3d(std::span<const std::uint8_t> bytes, const std::string& name, const C3dReadOptions& options) {
  Bytes f(bytes, name);
  C3dFile c3d;
  c3d.name = name;

  // --- Header (User Guide, "The Header Section", "Header Record function") --------------
  // Word 1: byte 1 = first parameter block (1-based), byte 2 = 0x50 key. Words 2-12: point
  // count, analog values per frame, first and last frame, max interpolation gap, scale
  // (float, negative = float storage), data start block, analog samples per frame, frame
  // rate (float). The byte order comes from the parameter section, so read that first.
  if (f.size() < kBlock)
    throw ParseError(name, 0, "file has " + std::to_string(f.size()) + " bytes, less than the 512-byte C3D header");
  const int parameter_block = f.u8(0);
  if (f.u8(1) != 0x50) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", f.u8(1));
    f.fail(1, std::string("header key is ") + hex + ", expected 0x50 (not a C3D file)");
  }
  if (parameter_block < 2) f.fail(0, "parameter block pointer is " + std::to_string(parameter_block) + " (must be >= 2)");
  const std::int64_t parameter_start = (parameter_block - 1) * kBlock;
  if (parameter_start + 4 > f.size())
    f.fail(0, "parameter block pointer " + std::to_string(parameter_block) + " (byte " +
                  std::to_string(parameter_start) + ") is past the end of the file (" + std::to_string(f.size()) +
                  " bytes)");
  // Parameter header: bytes 3 and 4 = number of parameter blocks, processor type
  // (User Guide, "Parameter header").
  c3d.processor = f.u8(parameter_start + 3);
  if (c3d.processor < kIntel || c3d.processor > kMips)
    f.fail(parameter_start + 3, "processor type " + std::to_string(c3d.processor) +
                                    " is not 84 (Intel), 85 (DEC) or 86 (SGI/MIPS)");
  f.set_processor(c3d.processor);

  const int header_points = f.i16(2);
  // Analog values per frame (channels x samples) can pass 32767: read as unsigned.
  const int header_analog_values = f.u16(4);
  const int header_first = f.u16(6);
  const int header_last = f.u16(8);
  c3d.max_interpolation_gap = f.i16(10);
  const double header_scale = f.f32(12);
  const int header_data_start = f.u16(16);
  const int header_analog_per_frame = f.i16(18);
  const double header_rate = f.f32(20);
  if (header_points < 0) f.fail(2, "header point count is " + std::to_string(header_points));
  if (header_analog_per_frame < 0)
    f.fail(18, "header analog samples per frame is " + std::to_string(header_analog_per_frame));

  read_parameters(f, parameter_start + 4, c3d);

  // --- Points: the POINT parameters, checked against their header copies ----------------
  auto param = [&](const char* key) { return c3d.parameter(key); };
  int points = header_points;
  if (const C3dParameter* p = param("POINT:USED")) {
    const std::int64_t used = unsigned_count(*p);
    if (used != header_points)
      f.fail(p->byte_offset, "POINT:USED is " + std::to_string(used) + " but the header says " +
                                 std::to_string(header_points) + " points");
  }
  double scale = header_scale;
  if (const C3dParameter* p = param("POINT:SCALE"); p && !p->values.empty()) scale = p->values[0];
  if (!std::isfinite(scale)) f.fail(12, "POINT:SCALE is not a finite number");
  c3d.float_storage = scale < 0;
  c3d.point_scale = std::abs(scale);
  c3d.point_rate = header_rate;
  if (const C3dParameter* p = param("POINT:RATE"); p && !p->values.empty()) c3d.point_rate = p->values[0];
  if (const C3dParameter* p = param("POINT:UNITS")) c3d.point_units = p->text();
  std::int64_t data_start = header_data_start;
  if (const C3dParameter* p = param("POINT:DATA_START"); p && !p->values.empty()) data_start = unsigned_count(*p);
  if (data_start < 2) f.fail(16, "data start block is " + std::to_string(data_start) + " (must be >= 2)");
  c3d.data_start_block = static_cast<int>(data_start);

  // Frame count: header words 4-5 hold 16-bit frame numbers; POINT:FRAMES (int16 read as
  // unsigned, or float for long trials) extends them (User Guide, "POINT:FRAMES").
  c3d.first_frame = header_first;
  std::int64_t frames = header_last >= header_first ? std::int64_t(header_last) - header_first + 1 : 0;
  if (const C3dParameter* p = param("POINT:FRAMES"); p && !p->values.empty()) {
    const std::int64_t pf = std::max<std::int64_t>(0, unsigned_count(*p));
    if (pf != frames) {
      if (header_last == 65535 || frames == 0)
        frames = pf;  // the header's 16-bit frame numbers overflowed
      else
        c3d.warnings.push_back("POINT:FRAMES is " + std::to_string(pf) + " but the header spans " +
                               std::to_string(frames) + " frames; the header is used");
    }
  }
  c3d.last_frame = static_cast<int>(std::min<std::int64_t>(c3d.first_frame + frames - 1, std::numeric_limits<int>::max()));

  auto labels = strings_of(c3d, "POINT:LABELS");
  if (points > 0) {
    if (static_cast<int>(labels.size()) < points)
      f.fail(param("POINT:LABELS") ? param("POINT:LABELS")->byte_offset : parameter_start,
             "POINT:LABELS has " + std::to_string(labels.size()) + " labels for " + std::to_string(points) + " points");
    labels.resize(static_cast<size_t>(points));
  } else {
    labels.clear();
  }
  c3d.point_labels = std::move(labels);

  // --- Analog channels -------------------------------------------------------------------
  c3d.analog_per_frame = header_analog_per_frame;
  int channels = 0;
  if (header_analog_values > 0) {
    if (header_analog_per_frame == 0)
      f.fail(18, "header has " + std::to_string(header_analog_values) + " analog values per frame but 0 samples per frame");
    if (header_analog_values % header_analog_per_frame != 0)
      f.fail(4, "header analog values per frame (" + std::to_string(header_analog_values) +
                    ") is not a multiple of the samples per frame (" + std::to_string(header_analog_per_frame) + ")");
    channels = header_analog_values / header_analog_per_frame;
  }
  if (const C3dParameter* p = param("ANALOG:USED")) {
    const std::int64_t used = unsigned_count(*p);
    if (used != channels)
      f.fail(p->byte_offset, "ANALOG:USED is " + std::to_string(used) + " but the header gives " +
                                 std::to_string(channels) + " analog channels");
  }
  if (!std::isfinite(c3d.point_rate) || c3d.point_rate < 0)
    f.fail(20, "point rate " + std::to_string(c3d.point_rate) + " is not a finite, non-negative number");
  if (channels == 0) c3d.analog_per_frame = 0;
  c3d.analog_rate = c3d.point_rate * c3d.analog_per_frame;
  if (const C3dParameter* p = param("ANALOG:RATE"); p && !p->values.empty() && channels > 0) {
    if (std::abs(p->values[0] - c3d.analog_rate) > 1e-6 * std::max(1.0, c3d.analog_rate))
      c3d.warnings.push_back("ANALOG:RATE " + std::to_string(p->values[0]) + " differs from POINT:RATE x samples per frame " +
                             std::to_string(c3d.analog_rate) + "; ANALOG:RATE is used");
    c3d.analog_rate = p->values[0];
  }
  if (!std::isfinite(c3d.analog_rate) || c3d.analog_rate < 0)
    f.fail(p_offset(c3d, "ANALOG:RATE", 20), "analog rate " + std::to_string(c3d.analog_rate) +
                                                  " is not a finite, non-negative number");
  std::vector<double> analog_scale(static_cast<size_t>(channels), 1.0), analog_offset(static_cast<size_t>(channels), 0.0);
  double gen_scale = 1.0;
  bool analog_unsigned = false;
  if (channels > 0) {
    auto labels_a = strings_of(c3d, "ANALOG:LABELS");
    if (param("ANALOG:LABELS") && static_cast<int>(labels_a.size()) < channels)
      f.fail(param("ANALOG:LABELS")->byte_offset, "ANALOG:LABELS has " + std::to_string(labels_a.size()) +
                                                      " labels for " + std::to_string(channels) + " channels");
    for (int i = static_cast<int>(labels_a.size()); i < channels; ++i) labels_a.push_back("Channel" + std::to_string(i + 1));
    labels_a.resize(static_cast<size_t>(channels));
    c3d.analog_labels = std::move(labels_a);
    c3d.analog_units = strings_of(c3d, "ANALOG:UNITS");
    if (static_cast<int>(c3d.analog_units.size()) > channels) c3d.analog_units.resize(static_cast<size_t>(channels));
    auto check_length = [&](const char* key, const std::vector<double>& v) {
      if (!v.empty() && static_cast<int>(v.size()) < channels)
        f.fail(param(key)->byte_offset, std::string(key) + " has " + std::to_string(v.size()) + " values for " +
                                            std::to_string(channels) + " channels");
    };
    const auto scales = numbers_of(c3d, "ANALOG:SCALE");
    const auto offsets = numbers_of(c3d, "ANALOG:OFFSET");
    check_length("ANALOG:SCALE", scales);
    check_length("ANALOG:OFFSET", offsets);
    if (const C3dParameter* p = param("ANALOG:FORMAT")) analog_unsigned = upper(p->text()) == "UNSIGNED";
    for (int i = 0; i < channels && !scales.empty(); ++i) analog_scale[size_t(i)] = scales[size_t(i)];
    for (int i = 0; i < channels && !offsets.empty(); ++i) {
      double o = offsets[size_t(i)];
      // Offsets are int16; with ANALOG:FORMAT UNSIGNED they are unsigned too
      // (User Guide, "ANALOG:OFFSET").
      if (analog_unsigned && o < 0 && param("ANALOG:OFFSET")->type == 2) o += 65536;
      analog_offset[size_t(i)] = o;
    }
    if (const C3dParameter* p = param("ANALOG:GEN_SCALE"); p && !p->values.empty()) gen_scale = p->values[0];
  }

  // --- Data section (User Guide, "The 3D Point Data Section") --------------------------
  // Each frame: for every point X, Y, Z and a residual word, then analog_per_frame samples
  // of every channel; all int16 (points times POINT:SCALE) or all float.
  const std::int64_t word = c3d.float_storage ? 4 : 2;
  const std::int64_t frame_values = 4 * std::int64_t(points) + std::int64_t(c3d.analog_per_frame) * channels;
  const std::int64_t frame_bytes = frame_values * word;
  const std::int64_t data_offset = (data_start - 1) * kBlock;
  if (data_offset > f.size())
    f.fail(16, "data start block " + std::to_string(data_start) + " (byte " + std::to_string(data_offset) +
                   ") is past the end of the file (" + std::to_string(f.size()) + " bytes)");
  if (frame_bytes > 0 && frames > (f.size() - data_offset) / frame_bytes)
    f.fail(data_offset, "data section needs " + std::to_string(frames) + " frames of " + std::to_string(frame_bytes) +
                            " bytes but the file ends after " + std::to_string((f.size() - data_offset) / frame_bytes) +
                            " (truncated file?)");
  if (frame_bytes == 0) frames = std::min<std::int64_t>(frames, f.size());  // nothing stored per frame

  const Eigen::Index nf = static_cast<Eigen::Index>(frames);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  c3d.points.resize(nf, 3 * points);
  c3d.residuals.resize(nf, points);
  const Eigen::Index analog_rows = nf * c3d.analog_per_frame;
  c3d.analogs.resize(analog_rows, channels);
  for (Eigen::Index fr = 0; fr < nf; ++fr) {
    std::int64_t o = data_offset + fr * frame_bytes;
    for (int m = 0; m < points; ++m, o += 4 * word) {
      double x, y, z;
      bool invalid;
      double residual;
      if (c3d.float_storage) {
        x = f.f32(o), y = f.f32(o + 4), z = f.f32(o + 8);
        // The fourth value holds the residual word as a float; a negative value (sign bit,
        // which is also the sign of its high 16-bit word) marks an invalid point
        // (User Guide, "3D Point Residuals").
        invalid = f.f32_negative(o + 12);
        const double w = f.f32(o + 12);
        residual = invalid ? -1.0
                   : (w >= 0 && w < 65536) ? double(static_cast<std::int64_t>(w) & 0xff) * c3d.point_scale
                                           : 0.0;
      } else {
        x = f.i16(o) * scale, y = f.i16(o + 2) * scale, z = f.i16(o + 4) * scale;
        const std::int16_t w = f.i16(o + 6);
        invalid = w < 0;
        residual = invalid ? -1.0 : double(w & 0xff) * c3d.point_scale;
      }
      // A float point that is NaN is missing; one that is infinite or beyond 1e9 units is
      // a corrupt value (the TRC reader's limit, trc.cpp), an error at its byte.
      if (!invalid && (std::isnan(x) || std::isnan(y) || std::isnan(z))) invalid = true, residual = -1.0;
      if (!invalid && !(std::abs(x) <= 1e9 && std::abs(y) <= 1e9 && std::abs(z) <= 1e9))
        f.fail(o, "point '" + (m < static_cast<int>(c3d.point_labels.size()) ? c3d.point_labels[size_t(m)] : std::to_string(m + 1)) +
                      "' of frame " + std::to_string(c3d.first_frame + fr) + " is not finite or beyond 1e9 (" +
                      std::to_string(x) + ", " + std::to_string(y) + ", " + std::to_string(z) + ")");
      if (invalid) x = y = z = nan;
      c3d.points(fr, 3 * m) = x;
      c3d.points(fr, 3 * m + 1) = y;
      c3d.points(fr, 3 * m + 2) = z;
      c3d.residuals(fr, m) = residual;
    }
    for (int s = 0; s < c3d.analog_per_frame; ++s) {
      const Eigen::Index row = fr * c3d.analog_per_frame + s;
      for (int ch = 0; ch < channels; ++ch, o += word) {
        double raw = c3d.float_storage ? double(f.f32(o)) : analog_unsigned ? double(f.u16(o)) : double(f.i16(o));
        // (raw - OFFSET) * SCALE * GEN_SCALE (User Guide, "ANALOG:SCALE", "ANALOG:GEN_SCALE").
        const double value = (raw - analog_offset[size_t(ch)]) * analog_scale[size_t(ch)] * gen_scale;
        if (!std::isfinite(value))
          f.fail(o, "analog channel '" + c3d.analog_labels[size_t(ch)] + "' sample " + std::to_string(row + 1) +
                        " is not finite");
        c3d.analogs(row, ch) = value;
      }
    }
  }

  if (options.force_plates) c3d.force_plates = compute_force_plates(c3d, options);
  return c3d;
}

C3dFile read_c3d(const std::filesystem::path& path, const C3dReadOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ParseError(path.string(), 0, "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open file");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw std::runtime_error(path.string() + ": cannot read file");
  in.seekg(0);
  std::vector<std::uint8_t> bytes(static_cast<size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size))
    throw std::runtime_error(path.string() + ": cannot read file");
  return parse_c3d(bytes, path.string(), options);
}

}  // namespace femur::io
