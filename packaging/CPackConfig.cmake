# Debian package: `cpack -G DEB` in the build folder. Dependencies come from
# dpkg-shlibdeps on the installed binaries, plus the Qt plugins they load at run time.
include(GNUInstallDirs)

# Desktop integration: menu entry, AppStream metadata and the icon.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/attnscope.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/io.github.attnscope.AttnScope.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/attnscope.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

set(CPACK_PACKAGE_NAME "attnscope")
set(CPACK_PACKAGE_VENDOR "AttnScope developers")
set(CPACK_PACKAGE_CONTACT "AttnScope developers <attnscope@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# One string (several quoted pieces would become a ;-list in the control file).
set(CPACK_PACKAGE_DESCRIPTION "AttnScope loads Hugging Face transformer checkpoints from disk, \
runs them natively and shows every layer's and head's attention exactly. attnscope-cli \
computes and renders the same figures headless.")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded as plugins, so dpkg-shlibdeps cannot see them: the platform plugins (the Wayland
# ones recommended), the SVG icon engine for the window icon, and a font for --screenshot.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6svg6, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")
include(CPack)
