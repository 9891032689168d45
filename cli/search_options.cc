#include "cli/search_options.h"

namespace pundit::cli {

void AddFacetFilterOptions(CLI::App& command, FacetFilterArgs* args) {
  // One value per use (`--theme A --theme B`): a vector option would
  // otherwise swallow the query words that follow it.
  struct FilterOption {
    const char* name;
    const char* value;
    std::vector<std::string>* values;
  };
  for (const FilterOption& f :
       {FilterOption{"author", "NAME", &args->authors},
        FilterOption{"region", "REGION", &args->regions},
        FilterOption{"theme", "THEME", &args->themes},
        FilterOption{"source", "SOURCE", &args->sources},
        FilterOption{"year", "YYYY", &args->years}}) {
    const std::string flag = std::string("--") + f.name;
    command
        .add_option(flag, *f.values,
                    std::string("only articles with this ") + f.name +
                        "; repeat to allow several (" + flag + " A " + flag +
                        " B)")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name(f.value);
  }
}

void ApplyFacetFilters(const FacetFilterArgs& args, SearchRequest* request) {
  if (!args.authors.empty()) request->filters["author"] = args.authors;
  if (!args.regions.empty()) request->filters["region"] = args.regions;
  if (!args.themes.empty()) request->filters["theme"] = args.themes;
  if (!args.sources.empty()) request->filters["source"] = args.sources;
  if (!args.years.empty()) request->filters["year"] = args.years;
}

}  // namespace pundit::cli
