// The viewer's HTML pages (page.hpp).
#include "femur/web/page.hpp"

#include <cstddef>

namespace femur::web {
namespace detail {
extern const char kViewerScript[];
extern const std::size_t kViewerScriptSize;
}  // namespace detail

namespace {

// Head of a page whose body is one full-window view. The empty icon keeps the browser from
// asking the server for /favicon.ico.
std::string page_head(const std::string& title) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"generator\" content=\"femur 0.1.0\">\n<link rel=\"icon\" href=\"data:,\">\n<title>" +
         html_escape(title) +
         " - femur view</title>\n<style>html,body{margin:0;height:100%;background:#f4f5f6}"
         ".femur-view{height:100vh}</style>\n</head>\n<body>\n";
}

}  // namespace

std::string_view viewer_script() { return {detail::kViewerScript, detail::kViewerScriptSize}; }

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string embedded_view(const std::string& scene_json, const std::string& id, const std::string& height_css) {
  // The scene JSON never holds '<' (scene_json escapes it), so it cannot end the block.
  return "<div class=\"femur-view\" data-scene=\"" + html_escape(id) + "\" style=\"height:" + html_escape(height_css) +
         "\"></div>\n<script type=\"application/json\" id=\"" + html_escape(id) + "\">" + scene_json + "</script>\n";
}

std::string standalone_page(const std::string& scene_json, const std::string& title) {
  std::string page = page_head(title);
  page.reserve(page.size() + scene_json.size() + viewer_script().size() + 256);
  page += "<div class=\"femur-view\" data-scene=\"femur-scene\"></div>\n";
  page += "<script type=\"application/json\" id=\"femur-scene\">";
  page += scene_json;
  page += "</script>\n<script>";
  page += viewer_script();
  page += "</script>\n</body>\n</html>\n";
  return page;
}

std::string served_page(const std::string& title) {
  return page_head(title) +
         "<div class=\"femur-view\" data-scene-url=\"scene.json\"></div>\n<script src=\"viewer.js\"></script>\n"
         "</body>\n</html>\n";
}

}  // namespace femur::web
