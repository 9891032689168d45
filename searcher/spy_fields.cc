#include "searcher/spy_fields.h"

namespace pundit {

void PutField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

bool GetField(std::string_view in, size_t& pos, std::string_view& field) {
  const size_t colon = in.find(':', pos);
  if (colon == std::string_view::npos || colon == pos || colon - pos > 19) {
    return false;
  }
  size_t n = 0;
  for (size_t i = pos; i < colon; ++i) {
    if (in[i] < '0' || in[i] > '9') return false;
    n = n * 10 + static_cast<size_t>(in[i] - '0');
  }
  if (n > in.size() - colon - 1) return false;
  field = in.substr(colon + 1, n);
  pos = colon + 1 + n;
  return true;
}

size_t ToSize(std::string_view digits) {
  size_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  return n;
}

bool IsShardServer(Xapian::Database& shard) {
  try {
    shard.get_revision();
    return false;
  } catch (const Xapian::UnimplementedError&) {
    return true;  // a remote database tells no revision
  }
}

void CarryToShardServers(Xapian::Database& db, Xapian::MatchSpy& spy) {
  // A term no document holds ("\xff" starts no term pundit writes).
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query("\xff"));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 0);
}

}  // namespace pundit
