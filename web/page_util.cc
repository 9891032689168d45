#include "web/page_util.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/html.h"

namespace pundit::pages {

std::string Plural(long n, const char* one, const char* many) {
  return WithCommas(n) + " " + (n == 1 ? one : many);
}

std::string HumanDate(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return iso;
  int month = std::atoi(iso.substr(5, 2).c_str());
  int day = std::atoi(iso.substr(8, 2).c_str());
  if (month < 1 || month > 12 || day < 1) return iso;
  return std::to_string(day) + " " + kMonthShort[month - 1] + " " +
         iso.substr(0, 4);
}

std::string Pad(int n, int width) {
  std::string s = std::to_string(n);
  while (static_cast<int>(s.size()) < width) s = "0" + s;
  return s;
}

std::string NumberMarks(const std::string& html, int* counter) {
  static constexpr std::string_view kMark = "<mark>";
  std::string out;
  out.reserve(html.size() + 32);
  size_t pos = 0;
  while (true) {
    size_t hit = html.find(kMark, pos);
    if (hit == std::string::npos) break;
    out.append(html, pos, hit - pos);
    out += "<mark id=\"m" + std::to_string(++*counter) + "\">";
    pos = hit + kMark.size();
  }
  out.append(html, pos, std::string::npos);
  return out;
}

std::string HexHash(const std::string& s) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016zx", std::hash<std::string>{}(s));
  return std::string(buf, 10);
}

void SetIf(Data& d, const std::string& key, const std::string& value) {
  if (value.empty()) {
    d.set(key, false);
  } else {
    d.set(key, value);
  }
}

Data Link(const std::string& text, const std::string& url) {
  Data d;
  d.set("text", text);
  d.set("url", url);
  return d;
}

std::string QueryWithout(const api::Params& params,
                         std::initializer_list<std::string_view> drop,
                         const std::string& extra) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (std::find(drop.begin(), drop.end(), name) != drop.end()) continue;
    if (!out.empty()) out += '&';
    out += UrlEncode(name) + "=" + UrlEncode(value);
  }
  if (!extra.empty()) out += (out.empty() ? "" : "&") + extra;
  return out;
}

Data HiddenInputs(const api::Params& params,
                  std::initializer_list<std::string_view> skip) {
  Data hidden(Data::type::list);
  for (const auto& [name, value] : params) {
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    Data h;
    h.set("name", name);
    h.set("value", value);
    hidden.push_back(h);
  }
  return hidden;
}

Data SelectOptions(std::initializer_list<const char*> values,
                   const std::string& selected) {
  Data options(Data::type::list);
  for (const char* value : values) {
    Data option;
    option.set("value", value);
    option.set("label", value);
    option.set("selected", selected == value);
    options.push_back(option);
  }
  return options;
}

Data SelectOptions(
    std::initializer_list<std::pair<const char*, const char*>> labelled,
    const std::string& selected) {
  Data options(Data::type::list);
  for (const auto& [value, label] : labelled) {
    Data option;
    option.set("value", value);
    option.set("label", label);
    option.set("selected", selected == value);
    options.push_back(option);
  }
  return options;
}

std::vector<std::string> Words(const std::string& q) {
  std::vector<std::string> words;
  std::istringstream in(q);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

Data BaseModel(const Context& ctx, const std::string& title) {
  Data d;
  d.set("title", title);
  d.set("asset_version", ctx.asset_version);
  return d;
}

std::string ErrorTitle(int status) {
  switch (status) {
    case 400:
      return "That search could not be read";
    case 404:
      return "Not found";
    case 503:
      return "The index is not available";
    default:
      return "Something went wrong";
  }
}

std::string PublicMessage(const Status& status, int http_status) {
  if (http_status == 400 || http_status == 404) return status.message();
  if (status.code() == Status::Code::kUnavailable) {
    // Names the shard server (HOST:PORT) for whoever runs the cluster; the
    // page escapes it like any other text.
    return "Part of the index cannot be reached right now, so no answer "
           "would be complete: " +
           status.message() + ". Please try again in a moment.";
  }
  if (http_status == 503) {
    return "The search index cannot be opened right now. Please try again in "
           "a moment.";
  }
  return "The server could not answer this request.";
}

void SetPageError(Data& model, const Status& status, int* http_status) {
  *http_status = api::HttpStatusFor(status);
  model.set("error", PublicMessage(status, *http_status));
}

void SendHtml(httplib::Response& res, int status, const std::string& html) {
  res.status = status;
  res.set_header("Cache-Control", "no-cache");
  res.set_content(html, "text/html; charset=utf-8");
}

void SendErrorPage(Context& ctx, httplib::Response& res, int status,
                   const std::string& message, const std::string& q) {
  Data page = BaseModel(ctx, ErrorTitle(status) + " – pundit");
  page.set("status", std::to_string(status));
  page.set("heading", ErrorTitle(status));
  page.set("message", message);
  page.set("is_404", status == 404);
  page.set("q", q);
  page.set("content", ctx.templates.Render("error", page));
  page.set("page_kind", "error");
  SendHtml(res, status, ctx.templates.Render("layout", page));
}

}  // namespace pundit::pages
