from pathlib import Path

from connectors.pseudonym import Pseudonymizer, load_or_create_key


def test_pseudonyms_are_stable_per_key_and_hide_the_id(tmp_path: Path) -> None:
    key = load_or_create_key(None, tmp_path)
    assert load_or_create_key(None, tmp_path) == key  # kept once generated
    assert oct((tmp_path / "pseudonym.key").stat().st_mode & 0o777) == "0o600"
    pseudonym = Pseudonymizer(key)
    user = "U4af4980629a1b2c3d4e5f60718293a4b"
    assert pseudonym("line", user) == pseudonym("line", user)
    assert user not in pseudonym("line", user)
    assert pseudonym("line", user) != pseudonym("web", user)
    assert Pseudonymizer(b"another key")("line", user) != pseudonym("line", user)
