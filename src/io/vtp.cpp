// VTK PolyData XML reader (see vtp.hpp). The layout of binary data, from VTK's file-format
// page and vtkXMLDataParser: a DataArray's bytes are preceded by a header of UInt32 or
// UInt64 words (header_type). Uncompressed: one word, the byte count. Compressed: the block
// count n, the uncompressed block size, the size of the last block (0: a full block), then
// the n compressed sizes, followed by the n zlib streams. Inline binary data are base64; VTK
// encodes the header of a compressed array apart from its data (two padded base64 runs) and
// an uncompressed one together with it (one run), so both are accepted.
#include "femur/io/vtp.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <string_view>

#include <fmt/format.h>
#include <zlib.h>

#include "femur/io/error.hpp"
#include "femur/io/xml_util.hpp"
#include "table_text.hpp"

namespace femur::io {
namespace {

enum class Scalar { Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, Float32, Float64 };

struct ScalarInfo {
  std::string_view name;
  Scalar type;
  int size;
};
constexpr ScalarInfo kScalars[] = {
    {"Int8", Scalar::Int8, 1},     {"UInt8", Scalar::UInt8, 1},     {"Int16", Scalar::Int16, 2},
    {"UInt16", Scalar::UInt16, 2}, {"Int32", Scalar::Int32, 4},     {"UInt32", Scalar::UInt32, 4},
    {"Int64", Scalar::Int64, 8},   {"UInt64", Scalar::UInt64, 8},   {"Float32", Scalar::Float32, 4},
    {"Float64", Scalar::Float64, 8},
    // Legacy names some writers use.
    {"Char", Scalar::Int8, 1},     {"UChar", Scalar::UInt8, 1},     {"Float", Scalar::Float32, 4},
    {"Double", Scalar::Float64, 8}};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

int base64_value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Everything a DataArray needs from its file.
struct FileContext {
  const XmlDocument& doc;
  bool big_endian = false;
  int header_size = 4;  // bytes per header word
  bool zlib = false;
  std::string_view appended;  // raw bytes or base64 text after the '_' of <AppendedData>
  bool appended_base64 = true;
  std::vector<std::size_t> appended_offsets;  // every DataArray offset, sorted (base64 ends)
};

class ArrayReader {
 public:
  ArrayReader(const FileContext& file, pugi::xml_node array) : f_(file), el_(array) {}

  // Values of the array as doubles, checked to hold `expected` of them (-1: any count).
  std::vector<double> read(long long expected) {
    const std::string type = el_.attribute("type").value();
    const ScalarInfo* info = nullptr;
    for (const auto& s : kScalars)
      if (s.name == type) info = &s;
    if (!info) fail(fmt::format("DataArray '{}': unknown type '{}'", name(), type));
    const std::string format = el_.attribute("format").value();
    std::vector<double> values;
    if (format == "ascii") {
      values = ascii();
    } else if (format == "binary") {
      values = convert(inline_binary(), *info);
    } else if (format == "appended") {
      values = convert(appended_bytes(), *info);
    } else {
      fail(fmt::format("DataArray '{}': unknown format '{}' (expected ascii, binary or appended)", name(), format));
    }
    if (expected >= 0 && static_cast<long long>(values.size()) != expected)
      fail(fmt::format("DataArray '{}' has {} values, expected {}", name(), values.size(), expected));
    return values;
  }

  [[noreturn]] void fail(const std::string& message) const { f_.doc.fail(el_, message); }

 private:
  std::string name() const {
    const char* n = el_.attribute("Name").value();
    return *n ? n : el_.parent().name();
  }

  // The array's own text: its first text child (VTK puts <InformationKey> elements after it).
  std::string_view text() const {
    for (pugi::xml_node c : el_.children())
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) return c.value();
    return {};
  }

  std::vector<double> ascii() const {
    std::vector<double> out;
    const std::string_view s = text();
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && is_space(s[i])) ++i;
      if (i >= s.size()) break;
      std::size_t j = i;
      while (j < s.size() && !is_space(s[j])) ++j;
      double v = 0.0;
      const char* first = s.data() + i;
      const char* last = s.data() + j;
      if (*first == '+') ++first;  // from_chars rejects a leading '+'
      const auto [end, ec] = std::from_chars(first, last, v);
      if (ec != std::errc() || end != last) {
        const auto parsed = parse_number(s.substr(i, j - i));  // nan, inf, out-of-range values
        if (!parsed)
          fail(fmt::format("DataArray '{}': '{}' is not a number", name(), std::string(s.substr(i, j - i))));
        v = *parsed;
      }
      out.push_back(v);
      i = j;
    }
    return out;
  }

  // Decodes base64 text (whitespace ignored; stops at the first '=' run's group end).
  std::vector<unsigned char> base64(std::string_view s) const {
    std::vector<unsigned char> out;
    out.reserve(s.size() / 4 * 3);
    unsigned buffer = 0;
    int bits = 0, pad = 0;
    for (const char c : s) {
      if (is_space(c)) continue;
      if (c == '=') {
        ++pad;
        continue;
      }
      if (pad > 0) fail(fmt::format("DataArray '{}': base64 data continue after '=' padding", name()));
      const int v = base64_value(static_cast<unsigned char>(c));
      if (v < 0) fail(fmt::format("DataArray '{}': '{}' is not a base64 character", name(), c));
      buffer = (buffer << 6) | static_cast<unsigned>(v);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xFF));
      }
    }
    return out;
  }

  std::uint64_t word(const unsigned char* p) const {
    std::uint64_t v = 0;
    if (f_.header_size == 4) {
      std::uint32_t w;
      std::memcpy(&w, p, 4);
      if (f_.big_endian != (std::endian::native == std::endian::big)) w = byteswap32(w);
      v = w;
    } else {
      std::memcpy(&v, p, 8);
      if (f_.big_endian != (std::endian::native == std::endian::big)) v = byteswap64(v);
    }
    return v;
  }
  static std::uint32_t byteswap32(std::uint32_t w) {
    return (w >> 24) | ((w >> 8) & 0xFF00u) | ((w << 8) & 0xFF0000u) | (w << 24);
  }
  static std::uint64_t byteswap64(std::uint64_t w) {
    return (static_cast<std::uint64_t>(byteswap32(static_cast<std::uint32_t>(w))) << 32) |
           byteswap32(static_cast<std::uint32_t>(w >> 32));
  }

  // Header size in bytes: one word (uncompressed), or 3 + block count (compressed), read from
  // the first three words.
  std::size_t header_bytes(const std::vector<unsigned char>& first_words) const {
    const std::size_t w = static_cast<std::size_t>(f_.header_size);
    if (!f_.zlib) return w;
    if (first_words.size() < 3 * w) fail(fmt::format("DataArray '{}': compressed data shorter than its header", name()));
    const std::uint64_t blocks = word(first_words.data());
    if (blocks > (1u << 24)) fail(fmt::format("DataArray '{}': implausible block count {}", name(), blocks));
    return (3 + static_cast<std::size_t>(blocks)) * w;
  }

  // Header + payload bytes of an array from base64 text, header encoded apart or together.
  std::vector<unsigned char> from_base64(std::string_view s) const {
    std::string compact;
    compact.reserve(s.size());
    for (char c : s)
      if (!is_space(c)) compact.push_back(c);
    const std::size_t w = static_cast<std::size_t>(f_.header_size);
    const std::size_t probe = f_.zlib ? 3 * w : w;
    const std::size_t probe_chars = (probe + 2) / 3 * 4;
    if (compact.size() < probe_chars) fail(fmt::format("DataArray '{}': binary data shorter than its header", name()));
    const std::size_t hbytes = header_bytes(base64(std::string_view(compact).substr(0, probe_chars)));
    const std::size_t hchars = (hbytes + 2) / 3 * 4;
    if (hbytes % 3 != 0 && compact.size() >= hchars &&
        std::string_view(compact).substr(0, hchars).find('=') != std::string_view::npos) {
      // Header encoded on its own: header bytes, then the data's own base64 run.
      std::vector<unsigned char> out = base64(std::string_view(compact).substr(0, hchars));
      out.resize(hbytes);
      const std::vector<unsigned char> data = base64(std::string_view(compact).substr(hchars));
      out.insert(out.end(), data.begin(), data.end());
      return out;
    }
    return base64(compact);
  }

  // Splits header + payload into the uncompressed payload.
  std::vector<unsigned char> payload(const unsigned char* p, std::size_t n) const {
    const std::size_t w = static_cast<std::size_t>(f_.header_size);
    if (!f_.zlib) {
      if (n < w) fail(fmt::format("DataArray '{}': binary data shorter than its header", name()));
      const std::uint64_t bytes = word(p);
      if (bytes > n - w)
        fail(fmt::format("DataArray '{}': header says {} bytes, only {} present", name(), bytes, n - w));
      return std::vector<unsigned char>(p + w, p + w + bytes);
    }
    if (n < 3 * w) fail(fmt::format("DataArray '{}': compressed data shorter than its header", name()));
    const std::uint64_t blocks = word(p), block_size = word(p + w), last_size = word(p + 2 * w);
    if (blocks > (1u << 24) || block_size > (1ull << 32))
      fail(fmt::format("DataArray '{}': implausible compression header ({} blocks of {} bytes)", name(), blocks, block_size));
    const std::size_t hbytes = (3 + blocks) * w;
    if (n < hbytes) fail(fmt::format("DataArray '{}': compressed data shorter than its header", name()));
    std::vector<unsigned char> out;
    std::size_t at = hbytes;
    for (std::uint64_t b = 0; b < blocks; ++b) {
      const std::uint64_t compressed = word(p + (3 + b) * w);
      const std::uint64_t size = (b + 1 == blocks && last_size != 0) ? last_size : block_size;
      if (compressed > n - at)
        fail(fmt::format("DataArray '{}': compressed block {} of {} bytes runs past the data", name(), b + 1,
                         compressed));
      // Deflate expands at most about 1032:1: a block that claims more is corrupt, and is
      // refused before its size is allocated.
      if (size > 1032 * compressed + 1024)
        fail(fmt::format("DataArray '{}': compressed block {} of {} bytes cannot hold the {} bytes its header says",
                         name(), b + 1, compressed, size));
      const std::size_t start = out.size();
      out.resize(start + size);
      uLongf dest = static_cast<uLongf>(size);
      const int rc = uncompress(out.data() + start, &dest, p + at, static_cast<uLong>(compressed));
      if (rc != Z_OK || dest != size)
        fail(fmt::format("DataArray '{}': zlib block {} is corrupt ({})", name(), b + 1,
                         rc == Z_OK ? fmt::format("{} bytes, expected {}", dest, size) : std::string(zError(rc))));
      at += compressed;
    }
    return out;
  }

  std::vector<unsigned char> inline_binary() const {
    const std::vector<unsigned char> raw = from_base64(text());
    return payload(raw.data(), raw.size());
  }

  std::vector<unsigned char> appended_bytes() const {
    const auto offset_attr = el_.attribute("offset");
    if (!offset_attr) fail(fmt::format("DataArray '{}' is appended but has no offset", name()));
    const auto offset = parse_number(offset_attr.value());
    if (!offset || !(*offset >= 0 && *offset <= 1e15) || *offset != std::floor(*offset))
      fail(fmt::format("DataArray '{}': offset '{}' is not a byte offset", name(), offset_attr.value()));
    const std::size_t at = static_cast<std::size_t>(*offset);
    if (at > f_.appended.size())
      fail(fmt::format("DataArray '{}': offset {} is past the appended data ({} bytes)", name(), at,
                       f_.appended.size()));
    if (f_.appended_base64) {
      const auto next = std::upper_bound(f_.appended_offsets.begin(), f_.appended_offsets.end(), at);
      const std::size_t end = next == f_.appended_offsets.end() ? f_.appended.size() : std::min(*next, f_.appended.size());
      const std::vector<unsigned char> raw = from_base64(f_.appended.substr(at, end - at));
      return payload(raw.data(), raw.size());
    }
    return payload(reinterpret_cast<const unsigned char*>(f_.appended.data()) + at, f_.appended.size() - at);
  }

  std::vector<double> convert(const std::vector<unsigned char>& bytes, const ScalarInfo& info) const {
    const std::size_t size = static_cast<std::size_t>(info.size);
    if (bytes.size() % size != 0)
      fail(fmt::format("DataArray '{}': {} bytes is not a whole number of {} values", name(), bytes.size(), info.name));
    const bool swap = f_.big_endian != (std::endian::native == std::endian::big);
    std::vector<double> out(bytes.size() / size);
    std::array<unsigned char, 8> v{};
    for (std::size_t i = 0; i < out.size(); ++i) {
      std::memcpy(v.data(), bytes.data() + i * size, size);
      if (swap) std::reverse(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(size));
      switch (info.type) {
        case Scalar::Int8: out[i] = static_cast<double>(static_cast<std::int8_t>(v[0])); break;
        case Scalar::UInt8: out[i] = v[0]; break;
        case Scalar::Int16: out[i] = load<std::int16_t>(v); break;
        case Scalar::UInt16: out[i] = load<std::uint16_t>(v); break;
        case Scalar::Int32: out[i] = load<std::int32_t>(v); break;
        case Scalar::UInt32: out[i] = load<std::uint32_t>(v); break;
        case Scalar::Int64: out[i] = static_cast<double>(load<std::int64_t>(v)); break;
        case Scalar::UInt64: out[i] = static_cast<double>(load<std::uint64_t>(v)); break;
        case Scalar::Float32: out[i] = load<float>(v); break;
        case Scalar::Float64: out[i] = load<double>(v); break;
      }
    }
    return out;
  }
  template <class T>
  static T load(const std::array<unsigned char, 8>& v) {
    T t;
    std::memcpy(&t, v.data(), sizeof(T));
    return t;
  }

  const FileContext& f_;
  pugi::xml_node el_;
};

long long count_attribute(const XmlDocument& doc, pugi::xml_node piece, const char* name) {
  const auto a = piece.attribute(name);
  if (!a) return 0;
  const auto v = parse_number(a.value());
  if (!v || *v < 0 || *v > 1e9 || *v != static_cast<double>(static_cast<long long>(*v)))
    doc.fail(piece, fmt::format("<Piece> {}='{}' is not a count", name, a.value()));
  return static_cast<long long>(*v);
}

pugi::xml_node named_array(pugi::xml_node holder, const char* name) {
  for (pugi::xml_node a : holder.children("DataArray"))
    if (std::string_view(a.attribute("Name").value()) == name) return a;
  return {};
}

// Cells of a <Polys> or <Strips> element: connectivity with end offsets (VTK XML layout).
void read_cells(const FileContext& f, pugi::xml_node holder, long long cells, long long points,
                std::uint32_t base, bool strips, std::vector<std::uint32_t>& triangles) {
  if (cells == 0) return;
  const pugi::xml_node conn_el = named_array(holder, "connectivity");
  const pugi::xml_node off_el = named_array(holder, "offsets");
  if (!conn_el || !off_el)
    f.doc.fail(holder ? holder : f.doc.root(),
               fmt::format("<{}> needs DataArrays 'connectivity' and 'offsets' for its {} cells",
                           strips ? "Strips" : "Polys", cells));
  ArrayReader conn_reader(f, conn_el), off_reader(f, off_el);
  const std::vector<double> conn = conn_reader.read(-1);
  const std::vector<double> offsets = off_reader.read(cells);
  double begin = 0.0;
  std::vector<std::uint32_t> cell;
  for (long long c = 0; c < cells; ++c) {
    const double end = offsets[static_cast<std::size_t>(c)];
    if (!(end >= begin) || end > static_cast<double>(conn.size()))
      off_reader.fail(fmt::format("DataArray 'offsets': offset {} of cell {} is outside the connectivity ({} entries) "
                                  "or decreasing", end, c + 1, conn.size()));
    cell.clear();
    for (auto k = static_cast<std::size_t>(begin); k < static_cast<std::size_t>(end); ++k) {
      const double v = conn[k];
      if (!(v >= 0.0) || v >= static_cast<double>(points))
        conn_reader.fail(fmt::format("DataArray 'connectivity': cell {} names point {}, but the piece has {} points",
                                     c + 1, v, points));
      cell.push_back(base + static_cast<std::uint32_t>(v));
    }
    begin = end;
    if (cell.size() < 3) continue;
    for (std::size_t k = 0; k + 2 < cell.size(); ++k) {
      if (strips) {
        // Alternate the winding so every triangle of the strip faces the same way.
        if (k % 2 == 0) triangles.insert(triangles.end(), {cell[k], cell[k + 1], cell[k + 2]});
        else triangles.insert(triangles.end(), {cell[k + 1], cell[k], cell[k + 2]});
      } else {
        triangles.insert(triangles.end(), {cell[0], cell[k + 1], cell[k + 2]});  // fan
      }
    }
  }
}

}  // namespace

SurfaceMesh parse_vtp(std::string bytes, const std::string& name_for_errors) {
  // Raw appended data are not XML: cut them off before parsing and keep them aside.
  std::string appended;
  bool appended_base64 = true;
  if (const std::size_t at = bytes.find("<AppendedData"); at != std::string::npos) {
    const std::size_t tag_end = bytes.find('>', at);
    const std::size_t underscore = tag_end == std::string::npos ? tag_end : bytes.find('_', tag_end);
    if (underscore == std::string::npos)
      throw ParseError(name_for_errors, static_cast<int>(std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1,
                       "<AppendedData> without the '_' that starts its data");
    const std::string tag = bytes.substr(at, tag_end - at);
    appended_base64 = tag.find("\"raw\"") == std::string::npos;
    std::size_t end = bytes.size();
    if (appended_base64) {
      end = bytes.find("</AppendedData>", underscore);
      if (end == std::string::npos) end = bytes.size();
    }
    appended = bytes.substr(underscore + 1, end - underscore - 1);
    bytes.resize(at);
    bytes += "</VTKFile>\n";
  }
  const XmlDocument doc = XmlDocument::load_string(std::move(bytes), name_for_errors);
  const pugi::xml_node root = doc.root();
  if (std::string_view(root.name()) != "VTKFile") doc.fail(root, fmt::format("not a VTK XML file: the root element is <{}>", root.name()));
  if (std::string_view(root.attribute("type").value()) != "PolyData")
    doc.fail(root, fmt::format("VTK file of type '{}', expected PolyData", root.attribute("type").value()));

  FileContext f{doc, false, 4, false, {}, true, {}};
  const std::string order = root.attribute("byte_order").value();
  if (!order.empty() && order != "LittleEndian" && order != "BigEndian")
    doc.fail(root, fmt::format("unknown byte_order '{}'", order));
  f.big_endian = order == "BigEndian";
  const std::string header = root.attribute("header_type").value();
  if (header.empty() || header == "UInt32") f.header_size = 4;
  else if (header == "UInt64") f.header_size = 8;
  else doc.fail(root, fmt::format("unknown header_type '{}' (expected UInt32 or UInt64)", header));
  const std::string compressor = root.attribute("compressor").value();
  if (compressor == "vtkZLibDataCompressor") f.zlib = true;
  else if (!compressor.empty())
    doc.fail(root, fmt::format("compressor '{}' is not supported (femur reads vtkZLibDataCompressor)", compressor));
  f.appended = appended;
  f.appended_base64 = appended_base64;

  const pugi::xml_node poly = root.child("PolyData");
  if (!poly) doc.fail(root, "VTK PolyData file without <PolyData>");
  for (pugi::xml_node piece : poly.children("Piece"))
    for (pugi::xml_node holder : piece.children())
      for (pugi::xml_node a : holder.children("DataArray"))
        if (const auto o = a.attribute("offset")) {
          if (const auto v = parse_number(o.value()); v && *v >= 0 && *v <= 1e15)
            f.appended_offsets.push_back(static_cast<std::size_t>(*v));
        }
  std::sort(f.appended_offsets.begin(), f.appended_offsets.end());

  SurfaceMesh mesh;
  bool any_piece = false;
  for (pugi::xml_node piece : poly.children("Piece")) {
    any_piece = true;
    const long long n_points = count_attribute(doc, piece, "NumberOfPoints");
    const long long n_polys = count_attribute(doc, piece, "NumberOfPolys");
    const long long n_strips = count_attribute(doc, piece, "NumberOfStrips");
    const std::size_t base = mesh.points.size() / 3;
    if (base + static_cast<std::size_t>(n_points) > std::numeric_limits<std::uint32_t>::max())
      doc.fail(piece, "more points than 32-bit indices can address");
    if (n_points > 0) {
      const pugi::xml_node pts = piece.child("Points").child("DataArray");
      if (!pts) doc.fail(piece, fmt::format("<Piece> with {} points has no <Points><DataArray>", n_points));
      ArrayReader reader(f, pts);
      if (const auto c = pts.attribute("NumberOfComponents"); c && std::string_view(c.value()) != "3")
        reader.fail(fmt::format("Points have {} components, expected 3", c.value()));
      for (double v : reader.read(3 * n_points)) mesh.points.push_back(static_cast<float>(v));
    }
    // Point normals: the array PointData names as Normals, or one called "Normals".
    const pugi::xml_node point_data = piece.child("PointData");
    pugi::xml_node normals;
    if (const char* n = point_data.attribute("Normals").value(); *n) normals = named_array(point_data, n);
    if (!normals) normals = named_array(point_data, "Normals");
    if (normals && n_points > 0) {
      ArrayReader reader(f, normals);
      const std::vector<double> values = reader.read(3 * n_points);
      if (mesh.normals.size() == 3 * base)  // every earlier piece had normals too
        for (double v : values) mesh.normals.push_back(static_cast<float>(v));
    } else if (!mesh.normals.empty()) {
      mesh.normals.clear();  // a piece without normals: drop them all, the viewer computes them
    }
    read_cells(f, piece.child("Polys"), n_polys, n_points, static_cast<std::uint32_t>(base), false, mesh.triangles);
    read_cells(f, piece.child("Strips"), n_strips, n_points, static_cast<std::uint32_t>(base), true, mesh.triangles);
  }
  if (!any_piece) doc.fail(poly, "<PolyData> has no <Piece>");
  if (mesh.normals.size() != mesh.points.size()) mesh.normals.clear();
  return mesh;
}

SurfaceMesh read_vtp(const std::filesystem::path& file) {
  return parse_vtp(detail::read_text_file(file), file.string());
}

}  // namespace femur::io
