// group_copies: times the pass of a `--full` build that groups syndicated
// copies (indexer/copy_groups.h, GroupAllCopies) on an existing index, so
// that its share of the build time can be measured at any size.
//
//   group_copies DB
//
// DB is an index folder (its live generation is opened for writing, so no
// other writer may run). On an index built by pundit the groups are already
// stored and nothing is written; the pass still reads every band term held
// more than once and compares the candidates. Prints one JSON line:
// {"articles", "seconds", "pairs_checked", "copies_found", "articles_keyed"}.
#include <xapian.h>

#include <chrono>
#include <exception>
#include <iostream>
#include <string>

#include "core/store.h"
#include "indexer/copy_groups.h"
#include "nlohmann/json.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: group_copies DB\n";
    return 1;
  }
  try {
    pundit::Result<std::string> live =
        pundit::store::LiveGenerationPath(argv[1]);
    if (!live.ok()) {
      std::cerr << "group_copies: " << live.status().ToString() << "\n";
      return 1;
    }
    Xapian::WritableDatabase db(*live, Xapian::DB_OPEN);
    const auto start = std::chrono::steady_clock::now();
    const pundit::indexer::CopyGroupCounts counts =
        pundit::indexer::GroupAllCopies(db);
    db.commit();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    nlohmann::json j;
    j["articles"] = db.get_doccount();
    j["seconds"] = seconds;
    j["pairs_checked"] = counts.pairs_checked;
    j["copies_found"] = counts.copies_found;
    j["articles_keyed"] = counts.articles_keyed;
    std::cout << j.dump() << "\n";
  } catch (const Xapian::Error& e) {
    std::cerr << "group_copies: " << e.get_description() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "group_copies: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
