import shutil

import pytest

from clinic.backups import encryption
from tests.backups.support import backup, manage


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A DATA_DIR with the demo content (database and uploads), made once per run."""
    data_dir = tmp_path_factory.mktemp("demo-site")
    manage("migrate", "--noinput", data_dir=data_dir)
    manage("load_demo_content", data_dir=data_dir)
    return data_dir


@pytest.fixture
def source_site(demo_template, tmp_path):
    """A copy of the demo DATA_DIR of this test's own."""
    data_dir = tmp_path / "source"
    shutil.copytree(demo_template, data_dir)
    return data_dir


@pytest.fixture(scope="session")
def age_keys():
    """(secret key, public key) made for this run."""
    return encryption.generate_key()


@pytest.fixture(scope="session")
def archives(demo_template, tmp_path_factory, age_keys):
    """{"plain", "encrypted", "public": path}: backups of the demo DATA_DIR, made once per run
    (unencrypted, with the secret key, with the public key), for tests that only read them."""
    folder = tmp_path_factory.mktemp("archives")
    secret, public = age_keys
    return {
        "plain": backup(demo_template, BACKUP_DIR=folder),
        "encrypted": backup(demo_template, BACKUP_DIR=folder, BACKUP_KEY=secret),
        "public": backup(demo_template, BACKUP_DIR=folder, BACKUP_KEY=public),
    }


@pytest.fixture
def backup_settings(settings, tmp_path):
    """The in-process commands' BACKUP_DIR in this test's folder, and no key."""
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEY = ""
    return settings
