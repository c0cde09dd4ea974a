// femur view's local web server (cpp-httplib): serves the viewer page, its script and one
// scene from memory on 127.0.0.1 only, until Ctrl-C (SIGINT) or SIGTERM.
//
// What it answers, and nothing else: GET / (the page), /viewer.js (the bundled script),
// /scene.json (the scene). It never reads the file system while serving, so no request can
// reach a file (`/../../etc/passwd`, `/etc/passwd`: 404) and there is no directory listing.
// Requests whose Host header is not this server's own address get 403, so a web page on
// another site cannot read the scene through DNS rebinding.
#pragma once

#include <functional>
#include <string>

namespace femur::web {

struct ServeOptions {
  int port = 0;  // 0: a free port chosen by the system
};

// Blocks until SIGINT or SIGTERM; `on_listening` gets the URL once the socket is bound.
// Throws std::runtime_error if the port cannot be bound.
void serve_view(const std::string& title, const std::string& scene_json, const ServeOptions& options,
                const std::function<void(const std::string& url)>& on_listening);

}  // namespace femur::web
