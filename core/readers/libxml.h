// libxml2's global state, set up once per process before any thread parses
// with it. libxml2 asks for xmlInitParser() to be called before parsing
// from several threads; its own guard against a second call is not visible
// to ThreadSanitizer (the library is not instrumented), so two reader
// threads calling it each would be reported as racing on what the first
// set up. InitLibxml() calls it once behind a C++ static, whose
// initialisation every later caller is ordered after.
//
// Thread-safe; call it before any libxml2 call.
#ifndef PUNDIT_CORE_READERS_LIBXML_H_
#define PUNDIT_CORE_READERS_LIBXML_H_

namespace pundit::readers {

void InitLibxml();

}  // namespace pundit::readers

#endif  // PUNDIT_CORE_READERS_LIBXML_H_
