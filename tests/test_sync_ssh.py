"""`musterm sync` over SSH: a real sshd on a loopback port, a throwaway key, a bare repository.

Needs sshd (openssh-server; .ci/run installs it when missing) and root, which sshd needs to
switch to the user it logs in. Skipped, saying why, without them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from musterm.store.remote import RemoteUnreachable, position, set_remote, sync
from musterm.store.repository import Store
from tests.lifecycle_data import build, git

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None)

pytestmark = [
    pytest.mark.skipif(SSHD is None, reason="sshd (openssh-server) er ikke installeret"),
    pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen mangler"),
    pytest.mark.skipif(os.geteuid() != 0, reason="sshd skal startes som root for at logge en bruger ind"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sshd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    folder = tmp_path / "ssh"
    folder.mkdir(mode=0o700)
    for name in ("host", "client"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    (folder / "authorized_keys").write_text((folder / "client.pub").read_text())
    (folder / "authorized_keys").chmod(0o600)
    port = _free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host'}\nPidFile {folder / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\n"
        f"SetEnv PATH={os.environ.get('PATH', '/usr/bin:/bin')}\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation folder
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        if process.poll() is not None:
            pytest.skip(f"sshd startede ikke: {process.stderr.read().decode(errors='replace')[-300:]}")
        time.sleep(0.05)
    monkeypatch.setenv(
        "GIT_SSH_COMMAND",
        f"ssh -i {folder / 'client'} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no "
        f"-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR",
    )
    yield port, process
    process.terminate()
    process.wait(timeout=10)


def test_sync_over_ssh_to_a_real_sshd(sshd, tmp_path: Path) -> None:
    port, process = sshd
    bare = tmp_path / "over-ssh.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    store = build(tmp_path / "sessions")
    url = f"ssh://root@127.0.0.1:{port}{bare}"
    assert set_remote(store, url) == f"Fjernrepoet er sat til {url}."
    result = sync(store)
    assert result.pushed == len(git(store.root, "rev-list", "HEAD").split())
    assert git(bare, "rev-parse", "main") == git(store.root, "rev-parse", "HEAD")
    assert position(store).describe() == "synkroniseret"

    # A second computer clones over SSH, changes a conversation and syncs; the first pulls it.
    git(tmp_path, "clone", "--quiet", url, str(tmp_path / "laptop"), data=None)
    laptop = Store.open(tmp_path / "laptop")
    relative = "bo-ørsted-100/2026-10-01.toml"
    session = laptop.load(relative)
    session.themes[0].notes = "Skrevet over SSH."
    laptop.save(relative, session)
    assert sync(laptop).pushed == 1  # committed first, then pushed
    assert sync(store).pulled == 1
    assert "Skrevet over SSH." in (store.root / relative).read_text()

    # The network drops: a clear message, nothing lost, and the next sync catches up.
    process.terminate()
    process.wait(timeout=10)
    session = store.load(relative)
    session.themes[0].notes = "Skrevet uden net."
    store.save(relative, session)
    head = git(store.root, "rev-parse", "HEAD")
    with pytest.raises(RemoteUnreachable, match="Fjernrepoet kan ikke nås") as raised:
        sync(store)
    assert "Intet er ændret" in str(raised.value)
    assert git(store.root, "rev-parse", "HEAD") != head  # the save was committed locally first
    assert "Skrevet uden net." in (store.root / relative).read_text()
    assert position(store).ahead == 1
