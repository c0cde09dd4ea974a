// The viewer's HTML: the standalone page `femur view --export` writes (scene and script
// inline, nothing fetched: it can be mailed to a colleague), the page `femur view` serves
// (script and scene fetched from the server), and the element a report embeds. The script
// is web/'s esbuild bundle (three.js and femur's page code), compiled into femur.
//
//   std::string html = femur::web::standalone_page(femur::web::scene_json(model, view), "gait2392");
#pragma once

#include <string>
#include <string_view>

namespace femur::web {

// The bundled viewer script (JavaScript, ~0.6 MB).
std::string_view viewer_script();

// One self-contained HTML page showing the scene.
std::string standalone_page(const std::string& scene_json, const std::string& title);

// The page femur view's server sends: it loads viewer.js and scene.json from the same origin.
std::string served_page(const std::string& title);

// A view to embed in another page: a <div class="femur-view"> of the given CSS height and the
// scene as an inline JSON block with the given id (unique in the page). The page must also
// include viewer_script() once, in a <script> element after the views.
std::string embedded_view(const std::string& scene_json, const std::string& id, const std::string& height_css);

// Escapes &, <, >, " for HTML text and attribute values.
std::string html_escape(std::string_view text);

}  // namespace femur::web
