"""Build the WrapUp Desktop bundle and its installer for the system this runs on.

    python packaging/build.py                 # bundle + installers for this OS into dist/
    python packaging/build.py --bundle-only   # just the PyInstaller folder
    python packaging/build.py --full          # without the exclusions, to measure them

Linux gives a `.deb` (installs under /opt/wrapup-desktop with /usr/bin links, the desktop entry,
hicolor icons and AppStream metainfo) and a portable `.tar.gz`. macOS gives `WrapUp Desktop.app`
and a `.dmg` (packaging/macos/make_dmg.sh). Windows gives the folder and, when Inno Setup's
`ISCC.exe` is installed, a per-user installer (packaging/windows/wrapup-desktop.iss).
PyInstaller builds only for the system it runs on, so each installer is built on its own OS.
Needs the `package` extra: `pip install -e '.[package]'`.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
RESOURCES = REPO / "resources"
SPEC = PACKAGING / "wrapup-desktop.spec"

APP_NAME = "wrapup-desktop"
APP_ID = "io.github.wrapupdesktop.WrapUpDesktop"
INSTALL_PREFIX = "/opt/wrapup-desktop"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
EXECUTABLES = ("wrapup-desktop", "wrapup-desktop-gui")

DEFAULT_GLIBC = "2.36"
"""The glibc floor when `objdump` is missing to read it from the bundle: Debian 12's glibc, the
oldest system the release is built on."""

LINUX_DEPENDS = (
    # OpenGL and EGL come from the system's graphics drivers; PyInstaller never bundles them.
    "libgl1",
    "libegl1",
    # The X11 connection library is left out of the bundle too, as are Wayland's.
    "libxcb1",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
    # The xcb platform plugin's libraries. The bundle carries them when the build machine has
    # them installed; depending on them keeps the window working when it did not.
    "libx11-xcb1",
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    # Fontconfig's configuration and, through it, at least one font: without a font every
    # text renders empty.
    "libfontconfig1",
)
"""Debian packages the `.deb` depends on, besides libc6 (whose version is read from the bundle)."""


def read_version() -> str:
    """Return the package version from `wrapup_desktop/__init__.py` without importing it."""
    text = (REPO / "wrapup_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("error: __version__ not found in wrapup_desktop/__init__.py")
    return match.group(1)


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    """Run a build step, echoing it, and stop the build when it fails."""
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, env=env)  # noqa: S603


def build_bundle(dist: Path, work: Path, *, full: bool = False) -> Path:
    """Run PyInstaller on the spec and return the one-folder bundle it wrote."""
    if importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit(
            f"error: PyInstaller is not installed for {sys.executable}. "
            "Install the package extra with: pip install -e '.[package]'"
        )
    env = dict(os.environ)
    env["WRAPUP_BUNDLE_FULL"] = "1" if full else "0"
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
    command += ["--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    run(command, env=env)
    return dist / APP_NAME


def debian_architecture() -> str:
    """Return the Debian architecture name of this machine, such as amd64 or arm64."""
    dpkg = shutil.which("dpkg")
    if dpkg:
        result = subprocess.run(  # noqa: S603
            [dpkg, "--print-architecture"], check=True, capture_output=True, text=True
        )
        return result.stdout.strip()
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)


def glibc_floor(bundle: Path) -> str:
    """Return the highest GLIBC symbol version any binary in the bundle needs."""
    objdump = shutil.which("objdump")
    if objdump is None:
        return DEFAULT_GLIBC
    versions: set[tuple[int, ...]] = set()
    for path in bundle.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        if not (path.name.endswith(".so") or ".so." in path.name or path.name in EXECUTABLES):
            continue
        result = subprocess.run(  # noqa: S603
            [objdump, "-T", str(path)], capture_output=True, text=True, check=False
        )
        for found in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", result.stdout):
            versions.add(tuple(int(part) for part in found.split(".")))
    if not versions:
        return DEFAULT_GLIBC
    return ".".join(str(part) for part in max(versions))


def folder_size_kib(folder: Path) -> int:
    """Return the size of the files under `folder` in KiB, as dpkg's Installed-Size wants."""
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return (total + 1023) // 1024


def control_file(version: str, architecture: str, installed_kib: int, glibc: str) -> str:
    """Return the text of the `.deb` control file."""
    depends = ", ".join((f"libc6 (>= {glibc})", *LINUX_DEPENDS))
    return (
        f"Package: {APP_NAME}\n"
        f"Version: {version}\n"
        "Section: utils\n"
        "Priority: optional\n"
        f"Architecture: {architecture}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {depends}\n"
        "Maintainer: WrapUp Desktop developers <wrapup-desktop@users.noreply.github.com>\n"
        "Description: classify and export Genesys Cloud wrap-up codes\n"
        " WrapUp Desktop signs in to a Genesys Cloud org with an OAuth client,\n"
        " fetches every conversation agents handled in a date range, classifies\n"
        " the wrap-up code of each agent leg and explains it, and exports CSV,\n"
        " XLSX and JSON Lines. The wrapup-desktop command runs the same export\n"
        " headless for scheduled reports.\n"
    )


COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: wrapup-desktop

Files: *
Copyright: WrapUp Desktop developers
License: MIT
 The bundle under /opt/wrapup-desktop also contains Python, Qt (LGPLv3) through PySide6, and
 the Python packages listed in the project's pyproject.toml, each under its own license.
"""


def install_desktop_files(root: Path, share: str) -> None:
    """Copy the desktop entry, the icons and the metainfo under `root/share`."""
    applications = root / share / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    shutil.copy2(RESOURCES / "wrapup-desktop.desktop", applications / "wrapup-desktop.desktop")
    for size in ICON_SIZES:
        target = root / share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(
            RESOURCES / "icons" / f"wrapup-desktop-{size}.png", target / "wrapup-desktop.png"
        )
    scalable = root / share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(RESOURCES / "wrapup-desktop.svg", scalable / "wrapup-desktop.svg")
    metainfo = root / share / "metainfo"
    metainfo.mkdir(parents=True, exist_ok=True)
    shutil.copy2(RESOURCES / f"{APP_ID}.metainfo.xml", metainfo / f"{APP_ID}.metainfo.xml")


def normalize_modes(root: Path) -> None:
    """Make folders and executables 0755 and other files 0644, as Debian packages expect."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or os.access(path, os.X_OK):
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def build_deb(bundle: Path, out_dir: Path, version: str, *, compression: str = "xz") -> Path:
    """Stage the bundle as a Debian package tree and build the `.deb` with dpkg-deb.

    `compression` is dpkg-deb's `-Z` type: xz makes the smallest package; tests pass none,
    which builds in seconds.
    """
    architecture = debian_architecture()
    name = f"{APP_NAME}_{version}_{architecture}"
    root = out_dir / "deb-root" / name
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle, root / INSTALL_PREFIX.lstrip("/"), symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    for executable in EXECUTABLES:
        (root / "usr" / "bin" / executable).symlink_to(f"{INSTALL_PREFIX}/{executable}")
    install_desktop_files(root, "usr/share")
    doc = root / "usr" / "share" / "doc" / APP_NAME
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")
    normalize_modes(root)

    installed_kib = folder_size_kib(root)
    (root / "DEBIAN").mkdir()
    control = control_file(version, architecture, installed_kib, glibc_floor(bundle))
    (root / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    (root / "DEBIAN").chmod(0o755)
    (root / "DEBIAN" / "control").chmod(0o644)

    deb = out_dir / f"{name}.deb"
    run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", str(root), str(deb)])
    return deb


def _root_owned(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def build_tarball(bundle: Path, out_dir: Path, version: str) -> Path:
    """Pack the bundle, the desktop entry and the icons into a portable `.tar.gz`."""
    top = f"{APP_NAME}-{version}-linux-{platform.machine().lower()}"
    staging = out_dir / "tar-root" / top
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(bundle, staging, symlinks=True)
    install_desktop_files(staging, "share")
    archive = out_dir / f"{top}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(staging, arcname=top, filter=_root_owned)
    return archive


def build_dmg(out_dir: Path, dist: Path, version: str) -> Path:
    """Wrap the `.app` that the spec wrote into a compressed disk image."""
    dmg = out_dir / f"WrapUp-Desktop-{version}-macos-{platform.machine().lower()}.dmg"
    app = dist / "WrapUp Desktop.app"
    run(["bash", str(PACKAGING / "macos" / "make_dmg.sh"), str(app), str(dmg)])
    return dmg


def find_iscc() -> str | None:
    """Return the Inno Setup compiler's path, or None when it is not installed."""
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)", ""), os.environ.get("PROGRAMFILES", "")):
        candidate = Path(base) / "Inno Setup 6" / "ISCC.exe"
        if base and candidate.is_file():
            return str(candidate)
    return None


def build_windows_installer(bundle: Path, out_dir: Path, version: str) -> Path | None:
    """Compile the Inno Setup script; return None when Inno Setup is not installed."""
    iscc = find_iscc()
    if iscc is None:
        print("Inno Setup (ISCC.exe) not found: skipping the installer.", file=sys.stderr)
        return None
    script = PACKAGING / "windows" / "wrapup-desktop.iss"
    run([iscc, f"/DAppVersion={version}", f"/DSourceDir={bundle}", f"/O{out_dir}", str(script)])
    return out_dir / f"WrapUp-Desktop-{version}-setup.exe"


def main(argv: list[str] | None = None) -> int:
    """Build the bundle and the installers for this OS; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="output folder")
    parser.add_argument("--bundle-only", action="store_true", help="skip the installers")
    parser.add_argument(
        "--full", action="store_true", help="keep every Qt plugin and module (for measuring)"
    )
    args = parser.parse_args(argv)

    version = read_version()
    out_dir: Path = args.out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    dist = out_dir / "pyinstaller"
    bundle = build_bundle(dist, out_dir / "pyinstaller-work", full=args.full)
    print(f"bundle: {bundle}")
    if args.bundle_only:
        return 0

    if sys.platform.startswith("linux"):
        print(f"deb: {build_deb(bundle, out_dir, version)}")
        print(f"tarball: {build_tarball(bundle, out_dir, version)}")
    elif sys.platform == "darwin":
        print(f"dmg: {build_dmg(out_dir, dist, version)}")
    elif sys.platform == "win32":
        installer = build_windows_installer(bundle, out_dir, version)
        if installer is not None:
            print(f"installer: {installer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
