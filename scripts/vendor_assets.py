#!/usr/bin/env python3
"""Vendor pinned front-end libraries from the npm registry into static/vendor/.

Usage (from anywhere; paths are resolved relative to the repository root):

    python scripts/vendor_assets.py           # (re)download and vendor everything
    python scripts/vendor_assets.py --check   # offline: verify files + hashes + pins

How it works: for each package in MANIFEST, ``npm pack <name>@<version>`` fetches
the published tarball (npm verifies the registry's integrity hash), the listed
files are read out of ``package/`` in the tarball and written to
``static/vendor/<dir>/``, together with the package's LICENSE (and NOTICE, when
the package ships one, as Apache-2.0 section 4(d) requires). The sha256 of every
written file is recorded in ``static/vendor/manifest.json``; ``--check`` compares
the tree against that record and against the pins below without any network.

To update a library: change its version below, run the script, review the diff,
then run ``--check``. Standard library only (Python 3.11+); needs ``npm`` on PATH
for vendoring, not for ``--check``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

# ---------------------------------------------------------------------------
# Manifest: npm package name -> exact version, destination directory (under
# static/vendor/) and files to copy (path inside the tarball's package/ folder
# -> path under the destination directory). LICENSE is added automatically.
# ---------------------------------------------------------------------------
MANIFEST: dict[str, dict] = {
    "htmx.org": {
        "version": "2.0.11",
        "dir": "htmx",
        "files": {
            "dist/htmx.min.js": "htmx.min.js",
        },
    },
    "echarts": {
        "version": "5.6.0",
        "dir": "echarts",
        "files": {
            "dist/echarts.min.js": "echarts.min.js",
        },
    },
    "leaflet": {
        "version": "1.9.4",
        "dir": "leaflet",
        "files": {
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            # leaflet.css references these as url(images/...), keep the layout.
            "dist/images/marker-icon.png": "images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "images/marker-shadow.png",
            "dist/images/layers.png": "images/layers.png",
            "dist/images/layers-2x.png": "images/layers-2x.png",
        },
    },
    "bootstrap": {
        "version": "5.3.9",
        "dir": "bootstrap",
        "files": {
            "dist/css/bootstrap.min.css": "bootstrap.min.css",
            "dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
        },
    },
}

LICENSE_CANDIDATES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENCE.md", "LICENCE.txt")
NOTICE_CANDIDATES = ("NOTICE", "NOTICE.md", "NOTICE.txt")

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "static" / "vendor"
MANIFEST_JSON = VENDOR_DIR / "manifest.json"
README_MD = VENDOR_DIR / "README.md"
UPDATE_COMMAND = "python scripts/vendor_assets.py"
CHECK_COMMAND = "python scripts/vendor_assets.py --check"


class VendorError(Exception):
    pass


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _safe_rel(path: str) -> PurePosixPath:
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise VendorError(f"unsafe destination path in MANIFEST: {path!r}")
    return p


def npm_pack(name: str, version: str, dest: Path) -> Path:
    spec = f"{name}@{version}"
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm not found on PATH (needed to download packages)")
    proc = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(dest), "--json"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise VendorError(f"npm pack {spec} failed:\n{proc.stderr.strip()}")
    try:
        filename = json.loads(proc.stdout)[0]["filename"]
        tgz = dest / filename
    except (ValueError, LookupError, TypeError):
        tgz = None
    if tgz is None or not tgz.is_file():
        found = sorted(dest.glob("*.tgz"))
        if len(found) != 1:
            raise VendorError(f"cannot locate tarball for {spec} in {dest}")
        tgz = found[0]
    return tgz


def _read_member(tar: tarfile.TarFile, path: str) -> bytes | None:
    try:
        member = tar.getmember(f"package/{path}")
    except KeyError:
        return None
    if not member.isfile():
        return None
    fh = tar.extractfile(member)
    assert fh is not None
    return fh.read()


def collect_package(name: str, spec: dict, workdir: Path) -> dict:
    """Download one package and return {'license': ..., 'files': {rel: bytes}}."""
    pkg_tmp = workdir / name.replace("/", "_")
    pkg_tmp.mkdir()
    tgz = npm_pack(name, spec["version"], pkg_tmp)
    files: dict[str, bytes] = {}
    with tarfile.open(tgz, "r:gz") as tar:
        pkg_json_raw = _read_member(tar, "package.json")
        if pkg_json_raw is None:
            raise VendorError(f"{name}: package.json missing from tarball")
        pkg_json = json.loads(pkg_json_raw)
        if pkg_json.get("version") != spec["version"]:
            raise VendorError(
                f"{name}: tarball is version {pkg_json.get('version')!r}, expected {spec['version']!r}"
            )
        lic = pkg_json.get("license")
        if isinstance(lic, dict):  # legacy {"type": ..., "url": ...}
            lic = lic.get("type")
        if not lic and isinstance(pkg_json.get("licenses"), list):
            lic = " OR ".join(str(x.get("type")) for x in pkg_json["licenses"])
        license_id = str(lic) if lic else "UNKNOWN"

        for src, dst in spec["files"].items():
            data = _read_member(tar, src)
            if data is None:
                raise VendorError(f"{name}@{spec['version']}: {src} not found in tarball")
            files[str(_safe_rel(dst))] = data

        for candidate in LICENSE_CANDIDATES:
            data = _read_member(tar, candidate)
            if data is not None:
                files["LICENSE"] = data
                break
        else:
            raise VendorError(f"{name}@{spec['version']}: no LICENSE file in tarball")

        for candidate in NOTICE_CANDIDATES:
            data = _read_member(tar, candidate)
            if data is not None:
                files["NOTICE"] = data
                break
    return {"license": license_id, "files": files}


def vendor() -> int:
    # Phase 1: download everything into memory; nothing on disk changes if any fetch fails.
    collected: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="vendor_assets_") as tmp:
        for name, spec in MANIFEST.items():
            print(f"fetching {name}@{spec['version']} ...", flush=True)
            collected[name] = collect_package(name, spec, Path(tmp))

    # Phase 2: write files, replacing each package directory wholesale (drops stale files).
    VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    record: dict = {"packages": {}}
    for name, spec in MANIFEST.items():
        pkg_dir = VENDOR_DIR / _safe_rel(spec["dir"])
        if pkg_dir.exists():
            shutil.rmtree(pkg_dir)
        file_hashes: dict[str, str] = {}
        for rel, data in sorted(collected[name]["files"].items()):
            out = pkg_dir / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            file_hashes[f"{spec['dir']}/{rel}"] = sha256(data)
            print(f"  {out.relative_to(ROOT)}  {len(data):>9,d} bytes")
        record["packages"][name] = {
            "version": spec["version"],
            "license": collected[name]["license"],
            "files": file_hashes,
        }
    MANIFEST_JSON.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    README_MD.write_text(render_readme(record), encoding="utf-8")
    print(f"wrote {MANIFEST_JSON.relative_to(ROOT)} and {README_MD.relative_to(ROOT)}")
    return 0


def render_readme(record: dict) -> str:
    lines = [
        "# Vendored front-end libraries",
        "",
        "These files are copied verbatim from the npm registry tarballs at the exact",
        "versions pinned in `scripts/vendor_assets.py`. Do not edit them by hand.",
        "This file and `manifest.json` (sha256 of every file) are generated by that script.",
        "",
        "| Package | Version | Licence | Files |",
        "| --- | --- | --- | --- |",
    ]
    for name, info in record["packages"].items():
        files = "<br>".join(f"`{f}`" for f in sorted(info["files"]))
        npm_url = f"https://www.npmjs.com/package/{name}/v/{info['version']}"
        lines.append(f"| [{name}]({npm_url}) | {info['version']} | {info['license']} | {files} |")
    lines += [
        "",
        "Each package directory contains the upstream `LICENSE` (and `NOTICE`, where",
        "upstream ships one, as required by Apache-2.0).",
        "",
        "## Updating",
        "",
        "1. Change the pinned version in the `MANIFEST` dict at the top of",
        "   `scripts/vendor_assets.py`.",
        "2. Re-vendor (needs `npm` and network access):",
        "",
        "   ```sh",
        f"   {UPDATE_COMMAND}",
        "   ```",
        "",
        "3. Verify offline that files, hashes and pins agree:",
        "",
        "   ```sh",
        f"   {CHECK_COMMAND}",
        "   ```",
        "",
    ]
    return "\n".join(lines)


def check() -> int:
    problems: list[str] = []
    if not MANIFEST_JSON.is_file():
        print(f"ERROR: {MANIFEST_JSON.relative_to(ROOT)} not found; run `{UPDATE_COMMAND}`", file=sys.stderr)
        return 1
    try:
        record = json.loads(MANIFEST_JSON.read_text(encoding="utf-8"))
        packages = record["packages"]
    except (ValueError, KeyError, TypeError) as exc:
        print(f"ERROR: cannot parse {MANIFEST_JSON.relative_to(ROOT)}: {exc}", file=sys.stderr)
        return 1

    for name in sorted(set(MANIFEST) - set(packages)):
        problems.append(f"{name}: pinned in script but missing from manifest.json")
    for name in sorted(set(packages) - set(MANIFEST)):
        problems.append(f"{name}: in manifest.json but not pinned in script")

    n_files = 0
    for name, spec in MANIFEST.items():
        info = packages.get(name)
        if info is None:
            continue
        if info.get("version") != spec["version"]:
            problems.append(
                f"{name}: manifest.json has version {info.get('version')!r}, script pins {spec['version']!r}"
            )
        recorded = info.get("files", {})
        expected = {f"{spec['dir']}/{_safe_rel(d)}" for d in spec["files"].values()}
        expected.add(f"{spec['dir']}/LICENSE")
        for rel in sorted(expected - set(recorded)):
            problems.append(f"{name}: {rel} expected by script but not recorded in manifest.json")
        for rel, digest in sorted(recorded.items()):
            n_files += 1
            path = VENDOR_DIR / _safe_rel(rel)
            if not path.is_file():
                problems.append(f"{name}: missing file static/vendor/{rel}")
            elif sha256(path.read_bytes()) != digest:
                problems.append(f"{name}: sha256 mismatch for static/vendor/{rel}")

    if problems:
        print("vendor check FAILED:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        print(f"Run `{UPDATE_COMMAND}` to re-vendor.", file=sys.stderr)
        return 1
    pins = ", ".join(f"{n}@{s['version']}" for n, s in MANIFEST.items())
    print(f"vendor check OK: {len(MANIFEST)} packages, {n_files} files verified ({pins})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify vendored files offline (no network)")
    args = parser.parse_args(argv)
    try:
        return check() if args.check else vendor()
    except VendorError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
