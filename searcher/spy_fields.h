// The field format of what pundit's match spies send between a shard server
// and `pundit serve` (searcher/match_list_spy.h, searcher/term_postings.h,
// searcher/shard_groups.h): length-prefixed fields, each a decimal length,
// ':', then the bytes; and how a spy that reads a shard's own database is
// carried to the shard servers. Internal to the searcher library.
#ifndef PUNDIT_SEARCHER_SPY_FIELDS_H_
#define PUNDIT_SEARCHER_SPY_FIELDS_H_

#include <xapian.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace pundit {

// Appends `field` to `out`.
void PutField(std::string& out, std::string_view field);

// Reads the field at `pos` into `field` and moves `pos` past it; false on
// malformed bytes (then `pos` and `field` are unspecified).
bool GetField(std::string_view in, size_t& pos, std::string_view& field);

// A field holding a decimal number; 0 for one that does not.
size_t ToSize(std::string_view digits);

// True when `shard`, a sub-database, is served by a shard server.
bool IsShardServer(Xapian::Database& shard);

// Carries `spy` to every shard server among the sub-databases of `db` in
// one match of a query that matches nothing: what the spy sends back is
// what each server reads from its own database, not anything matched.
void CarryToShardServers(Xapian::Database& db, Xapian::MatchSpy& spy);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_SPY_FIELDS_H_
