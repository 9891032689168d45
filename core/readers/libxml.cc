#include "core/readers/libxml.h"

#include <libxml/parser.h>

namespace pundit::readers {

void InitLibxml() {
  static const bool initialised = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialised;
}

}  // namespace pundit::readers
