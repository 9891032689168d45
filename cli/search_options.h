// The facet filter options the commands that search share (`search`,
// `export`, `attention`): --author, --region, --theme, --source, --year,
// one value per use, repeatable.
#ifndef PUNDIT_CLI_SEARCH_OPTIONS_H_
#define PUNDIT_CLI_SEARCH_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "searcher/searcher.h"

namespace pundit::cli {

struct FacetFilterArgs {
  std::vector<std::string> authors, regions, themes, sources, years;
};

// Adds the five options to `command`, parsed into *args (which must
// outlive the parse).
void AddFacetFilterOptions(CLI::App& command, FacetFilterArgs* args);

// Sets request->filters from the values given (facets not given are left
// alone).
void ApplyFacetFilters(const FacetFilterArgs& args, SearchRequest* request);

}  // namespace pundit::cli

#endif  // PUNDIT_CLI_SEARCH_OPTIONS_H_
