"""`make run` and every deployment run collectstatic with the manifest storage, which refuses
a file that references one it cannot find (a vendored script's source map): run it here.
Django's manifest storage is the one a deployment behind nginx uses (LANTERN_STATIC_BY_PROXY)
and the pass that refuses; whitenoise's storage (`make run`, no proxy) runs that same pass and
then compresses every file with gzip and brotli, which took 25–40 s of this test and refuses
nothing of its own."""

from __future__ import annotations

from django.core.management import call_command


def test_collectstatic_with_the_production_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "linkage/vendor/cytoscape-3.34.4.min.js" in manifest and "linkage/network.js" in manifest
