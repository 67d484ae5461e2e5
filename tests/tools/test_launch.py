"""tools/neo4j/launch.py: the parts that need no server (the server itself is exercised
by every ``neo4j`` test, which the plugin runs on a server this module started)."""

from __future__ import annotations

import pytest

from neo4j_server import load_launcher

launch = load_launcher()


def test_the_pom_pins_a_5_26_lts():
    assert launch.DEFAULT_VERSION.startswith("5.26.")


@pytest.mark.parametrize("version, java", [("5.26.30", 17), ("2025.10.1", 21),
                                           ("2026.08.1", 21)])
def test_required_java(version, java):
    assert launch.required_java(version) == java


@pytest.mark.parametrize("text, major", [
    ('openjdk version "17.0.15" 2025-04-15', 17),
    ('openjdk version "25.0.3" 2026-04-21 LTS', 25),
    ('java version "1.8.0_392"', 8),
])
def test_java_major(text, major):
    assert launch.java_major(text) == major


def test_java_major_refuses_what_it_cannot_read():
    with pytest.raises(launch.LaunchError, match="cannot read the Java version"):
        launch.java_major("command not found")


def test_conf_listens_on_loopback_bolt_only(tmp_path):
    conf = launch.write_conf(tmp_path, 7999, auth=True, heap="512m", pagecache="128m")
    settings = dict(line.split("=", 1) for line in
                    (conf / "neo4j.conf").read_text(encoding="utf-8").splitlines())
    assert settings["server.bolt.listen_address"] == "127.0.0.1:7999"
    assert settings["server.default_listen_address"] == "127.0.0.1"
    assert settings["server.http.enabled"] == "false"
    assert settings["server.https.enabled"] == "false"
    assert settings["dbms.usage_report.enabled"] == "false"
    assert settings["dbms.security.auth_enabled"] == "true"
    assert settings["server.directories.data"] == str(tmp_path / "data")
    assert not any("password" in key for key in settings)


def test_a_short_password_is_refused_before_anything_starts(tmp_path):
    with pytest.raises(launch.LaunchError, match="at least 8 characters"):
        launch.start(tmp_path / "db", password="short")


def test_stop_without_a_server_says_so(tmp_path):
    assert launch.stop(tmp_path) is False
