// The server-rendered pages (web/pages.h): the routes, OpenSearch and the
// static files. Each page is a file of its own (page_search.cc,
// page_article.cc, page_compare.cc, page_in_context.cc); what they share is
// page_util.h.
#include "web/pages.h"

#include <httplib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/files.h"
#include "core/html.h"
#include "core/mutex.h"
#include "core/text.h"
#include "web/api.h"
#include "web/page_util.h"
#include "web/searcher_pool.h"

namespace pundit {
namespace {

using namespace pages;  // NOLINT: this file is the pages' own

// Links start with the configured public URL, or are relative: never the
// request's Host header, which the client chooses, so the document is the
// same for every request.
void HandleOpenSearch(Context& ctx, const httplib::Request&,
                      httplib::Response& res) {
  Data model;
  model.set("base", ctx.public_url);
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_content(ctx.templates.Render("opensearch", model),
                  "application/opensearchdescription+xml; charset=utf-8");
}

const char* ContentType(const std::string& ext) {
  static const std::map<std::string, const char*> kTypes = {
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
  };
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? nullptr : it->second;
}

// True when `path` lies strictly inside `root` (both canonical).
bool Inside(const fs::path& root, const fs::path& path) {
  auto r = root.begin(), p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (p == path.end() || *p != *r) return false;
  }
  return p != path.end();
}

// Whether the request target (still percent-encoded) or the decoded path
// tries to leave the folder: "..", encoded dots, slashes or backslashes, NUL.
bool SuspiciousPath(const std::string& raw, const std::string& decoded) {
  std::string lower = raw.substr(0, raw.find('?'));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char* bad : {"..", "%2e", "%2f", "%5c", "%00", "\\"}) {
    if (lower.find(bad) != std::string::npos) return true;
  }
  if (decoded.empty() || decoded.front() == '/') return true;
  if (decoded.find("..") != std::string::npos) return true;
  for (char c : decoded) {
    if (c == '\\' || c == '\0' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  // No hidden files or folders (".git", ".DS_Store").
  if (decoded.front() == '.' || decoded.find("/.") != std::string::npos) {
    return true;
  }
  return false;
}

void HandleStatic(Context& ctx, const httplib::Request& req,
                  httplib::Response& res) {
  const std::string rel = req.matches[1];
  auto not_found = [&] {
    SendErrorPage(ctx, res, 404, "There is no such file.");
  };
  if (SuspiciousPath(req.target, rel)) return not_found();
  std::error_code ec;
  fs::path full = fs::weakly_canonical(ctx.static_dir / rel, ec);
  if (ec || !Inside(ctx.static_dir, full)) return not_found();
  if (!fs::is_regular_file(full, ec) || ec) return not_found();
  const char* type = ContentType(full.extension().string());
  if (type == nullptr) return not_found();

  struct stat st;
  if (::stat(full.c_str(), &st) != 0) return not_found();
  std::string etag = "\"" + std::to_string(st.st_size) + "-" +
                     std::to_string(st.st_mtim.tv_sec) + "\"";
  res.set_header("Cache-Control", "public, max-age=3600");
  res.set_header("ETag", etag);
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  bool ok = true;
  std::string body = ReadWholeFile(full, &ok);
  if (!ok) return not_found();
  res.status = 200;
  res.set_content(body, type);
}

}  // namespace

bool RegisterPageRoutes(httplib::Server& server, SearcherPool& pool,
                        const std::string& web_dir,
                        const std::string& public_url,
                        SearchStageMetrics* stage_metrics) {
  auto ctx = std::make_shared<Context>();
  ctx->pool = &pool;
  ctx->web_dir = web_dir;
  ctx->public_url = public_url;
  ctx->stage_metrics = stage_metrics;
  std::string error;
  if (!ctx->templates.Load(ctx->web_dir / "templates", &error)) {
    std::cerr << "pundit: " << error << "\n";
    return false;
  }
  std::error_code ec;
  ctx->static_dir = fs::canonical(ctx->web_dir / "static", ec);
  if (ec) {
    std::cerr << "pundit: " << (ctx->web_dir / "static").string()
              << ": error: static folder missing: " << ec.message() << "\n";
    return false;
  }
  // Asset URLs carry a hash of the files, so a new version is fetched at
  // once in spite of the hour of caching.
  std::string assets;
  for (const char* name : {"app.js", "style.css"}) {
    bool ok = true;
    assets += ReadWholeFile(ctx->static_dir / name, &ok);
  }
  ctx->asset_version = HexHash(assets);

  auto search = [ctx](const httplib::Request& req, httplib::Response& res) {
    HandleSearch(*ctx, req, res);
  };
  server.Get("/", search);
  server.Get("/search", search);
  server.Get(R"(/article/(.+))",
             [ctx](const httplib::Request& req, httplib::Response& res) {
               HandleArticle(*ctx, req, res);
             });
  server.Get("/compare",
             [ctx](const httplib::Request& req, httplib::Response& res) {
               HandleCompare(*ctx, req, res);
             });
  server.Get("/in-context",
             [ctx](const httplib::Request& req, httplib::Response& res) {
               HandleInContext(*ctx, req, res);
             });
  server.Get("/opensearch.xml",
             [ctx](const httplib::Request& req, httplib::Response& res) {
               HandleOpenSearch(*ctx, req, res);
             });
  server.Get(R"(/static/(.*))",
             [ctx](const httplib::Request& req, httplib::Response& res) {
               HandleStatic(*ctx, req, res);
             });
  server.Get("/favicon.ico",
             [](const httplib::Request&, httplib::Response& res) {
               res.status = 301;
               res.set_header("Location", "/static/favicon.svg");
             });
  // Registered last, so it only answers paths no other route took (the
  // JSON API registers its own catch-all for /api first).
  server.Get(R"(/.*)", [ctx](const httplib::Request&, httplib::Response& res) {
    SendErrorPage(*ctx, res, 404, "There is no page at this address.");
  });
  return true;
}

}  // namespace pundit
