#!/usr/bin/env python3
"""Writes core/parse_entities.cc: the HTML5 named character references.

The table is the WHATWG list of named character references, as Python's
standard library carries it (html.entities.html5), keeping the names that
end with ';' (the only forms md4c reports as entities), sorted by name for
binary search. The test suite runs it with --check, which fails when the
committed file is not what this script writes.

Usage: scripts/gen_entities.py [OUT]          (default: stdout)
       scripts/gen_entities.py --check FILE   (exit 1 when FILE differs)
"""
import html.entities
import sys

HEADER = '''// The HTML5 named character references ("&amp;", "&eacute;", "&rsquo;"...),
// sorted by name for binary search. Generated from the WHATWG list of named
// character references (the same table as Python's html.entities.html5),
// keeping only the forms that end with ';', the only ones md4c reports as
// entities. Regenerate with scripts/gen_entities.py rather than edit by hand.
#include <algorithm>
#include <iterator>
#include <string_view>

#include "core/parse_text.h"

namespace pundit::parse {
namespace {

struct NamedEntity {
  std::string_view name;  // without '&' and ';'
  std::string_view utf8;  // the character(s) it stands for
};

// clang-format off
constexpr NamedEntity kNamedEntities[] = {
'''

FOOTER = '''};
// clang-format on

}  // namespace

std::string_view LookupNamedEntity(std::string_view name) {
  auto it = std::lower_bound(
      std::begin(kNamedEntities), std::end(kNamedEntities), name,
      [](const NamedEntity& e, std::string_view n) { return e.name < n; });
  if (it == std::end(kNamedEntities) || it->name != name) return {};
  return it->utf8;
}

}  // namespace pundit::parse
'''


def generate():
    names = sorted(n[:-1] for n in html.entities.html5 if n.endswith(';'))
    lines = []
    for name in names:
        utf8 = html.entities.html5[name + ';'].encode('utf-8')
        escaped = ''.join('\\x%02x' % b for b in utf8)
        lines.append('    {"%s", "%s"},\n' % (name, escaped))
    return HEADER + ''.join(lines) + FOOTER


def main():
    text = generate()
    if len(sys.argv) == 3 and sys.argv[1] == '--check':
        with open(sys.argv[2], encoding='utf-8') as f:
            if f.read() != text:
                sys.exit('%s: not what scripts/gen_entities.py writes: '
                         'regenerate it with scripts/gen_entities.py %s'
                         % (sys.argv[2], sys.argv[2]))
        print('ok: %s is what the generator writes'
              % sys.argv[2])
        return
    if len(sys.argv) > 1:
        with open(sys.argv[1], 'w', encoding='utf-8') as out:
            out.write(text)
    else:
        sys.stdout.write(text)


if __name__ == '__main__':
    main()
