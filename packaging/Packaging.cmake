# Install rules and the Debian package (included by the top CMakeLists.txt).
#
#   cmake --install build --prefix P   P/bin/pundit, P/share/pundit/{templates,static}
#                                      (found by the binary beside its bin/),
#                                      P/share/doc/pundit, P/lib/systemd/system,
#                                      P/share/man/man1 (with help2man)
#   cd build && cpack -G DEB           pundit_VERSION_ARCH.deb: /usr/bin/pundit,
#                                      the units, the `pundit` user (postinst)
include(GNUInstallDirs)

install(TARGETS pundit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/templates ${PROJECT_SOURCE_DIR}/web/static
        DESTINATION ${CMAKE_INSTALL_DATADIR}/pundit)
# The settings file's template; postinst copies it to /etc/default/pundit
# when that is missing (so a prefix install never writes to /etc).
install(FILES ${PROJECT_SOURCE_DIR}/packaging/default/pundit
        DESTINATION ${CMAKE_INSTALL_DATADIR}/pundit/default)
file(GLOB PUNDIT_DOCS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PUNDIT_DOCS}
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
file(GLOB PUNDIT_UNITS ${PROJECT_SOURCE_DIR}/packaging/systemd/*.service
     ${PROJECT_SOURCE_DIR}/packaging/systemd/*.timer)
install(FILES ${PUNDIT_UNITS} DESTINATION lib/systemd/system)

# Manual pages from the binary's own --help (scripts/gen_man.sh), where
# help2man is installed (scripts/setup.sh installs it).
find_program(HELP2MAN help2man)
if(HELP2MAN)
  add_custom_command(
    OUTPUT ${PROJECT_BINARY_DIR}/man/pundit.1
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/gen_man.sh $<TARGET_FILE:pundit>
            ${PROJECT_BINARY_DIR}/man ${PROJECT_VERSION}
    DEPENDS pundit ${PROJECT_SOURCE_DIR}/scripts/gen_man.sh
    COMMENT "Writing the manual pages")
  add_custom_target(man ALL DEPENDS ${PROJECT_BINARY_DIR}/man/pundit.1)
  install(DIRECTORY ${PROJECT_BINARY_DIR}/man/
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 FILES_MATCHING PATTERN "*.1")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pundit)
set(CPACK_PACKAGE_VENDOR pundit)
set(CPACK_PACKAGE_CONTACT "pundit maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "full-text search server for opinion articles (Xapian)")
set(CPACK_PACKAGE_DESCRIPTION
    "pundit indexes op-eds and analysis pieces into a Xapian database and\n\
serves ranked, faceted search with snippets from the command line, a JSON\n\
API and a web page. Includes systemd units for serving, scheduled indexing,\n\
shards and replicas, and Prometheus metrics.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
# Depends on the shared libraries' packages, as dpkg-shlibdeps finds them
# (libxapian30, libicu72, ...), plus what the maintainer scripts run.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# `pundit replicate-serve` and `pundit follow` run Xapian's replication tools.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "xapian-tools")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
