"""Table tests of the crawler's URL and address policy (no network)."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime

import pytest

from crawl.policy import (
    AddressPolicy,
    blocked_address,
    literal_ip,
    parse_retry_after,
    parse_seeds,
    read_seed_file,
    trap_reason,
    url_address_reason,
)
from graphscan.errors import InputDataError, InputFileError

BLOCKED_HOSTS = [
    "127.0.0.1",
    "0.0.0.0",
    "[::1]",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.100.100.200",
    "[fc00::1]",
    "[fe80::1]",
    "[::ffff:127.0.0.1]",
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "127.1",
    "[64:ff9b::7f00:1]",
    "[2002:7f00:1::]",
    "localhost",
    "printer.local",
    "[::]",
    "224.0.0.1",
]


@pytest.mark.parametrize("host", BLOCKED_HOSTS)
def test_private_and_special_addresses_are_blocked(host):
    assert url_address_reason(f"http://{host}/x", AddressPolicy()) == "ssrf_blocked"


@pytest.mark.parametrize(
    "host", ["93.184.216.34", "[2606:2800:220:1:248:1893:25c8:1946]", "blog.example.fr", "a.test"]
)
def test_public_addresses_and_names_pass_the_literal_check(host):
    assert url_address_reason(f"http://{host}/x", AddressPolicy()) is None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://a.fr/",
        "data:text/html,x",
        "s3://b/k",
        "gopher://a/",
        "javascript:alert(1)",
    ],
)
def test_non_http_schemes_are_refused(url):
    assert url_address_reason(url, AddressPolicy()) == "bad_scheme"


def test_allow_private_opens_every_address():
    assert url_address_reason("http://127.0.0.1:8080/", AddressPolicy(allow_private=True)) is None


def test_allow_list_opens_only_the_listed_address_and_port():
    policy = AddressPolicy(allow=("127.0.0.1:8080",))
    assert url_address_reason("http://127.0.0.1:8080/", policy) is None
    assert url_address_reason("http://127.0.0.1:8081/", policy) == "ssrf_blocked"
    assert url_address_reason("http://10.0.0.1:8080/", policy) == "ssrf_blocked"


def test_allow_list_accepts_networks_and_bracketed_ipv6():
    assert AddressPolicy(allow=("10.0.0.0/8",)).permits(ipaddress.ip_address("10.9.9.9"), 1)
    assert AddressPolicy(allow=("[::1]:99",)).permits(ipaddress.ip_address("::1"), 99)
    assert not AddressPolicy(allow=("[::1]:99",)).permits(ipaddress.ip_address("::1"), 98)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),
        ("8.8.8.8", None),
        ("64:ff9b::808:808", None),
    ],
)
def test_embedded_ipv4_is_judged_as_the_address_it_carries(address, reason):
    assert blocked_address(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("host", ["deadbeef", "cafe.fr", "1.2.3.example", "0x.fr", "12.fr"])
def test_names_that_look_numeric_are_not_read_as_addresses(host):
    assert literal_ip(host) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://b.fr/" + "x" * 2100, "url_too_long"),
        ("http://b.fr/" + "/".join(f"s{i}" for i in range(21)), "path_too_deep"),
        ("http://b.fr/a/b/a/b/a/b/", "repeated_segments"),
        ("http://b.fr/x/x/x/", "repeated_segments"),
        ("http://b.fr/a/b/c/a/b/c/a/b/c", "repeated_segments"),
        ("http://b.fr/events?month=13", "calendar"),
        ("http://b.fr/events?year=2150&month=1", "calendar"),
        ("http://b.fr/calendar/1850/01/", "calendar"),
        ("http://b.fr/cal?date=3001-01-01", "calendar"),
    ],
)
def test_crawler_traps_are_recognised(url, reason):
    assert trap_reason(url, now_year=2026) == reason


@pytest.mark.parametrize(
    "url",
    [
        "http://b.fr/2009/05/05/post.html",
        "http://b.fr/a/b/a/b/",
        "http://b.fr/?m=200905",
        "http://b.fr/archives?year=2009&month=5",
        "http://b.fr/" + "/".join(f"s{i}" for i in range(20)),
        "http://b.fr/page/2/",
    ],
)
def test_ordinary_blog_urls_are_not_traps(url):
    assert trap_reason(url, now_year=2026) is None


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    assert parse_retry_after(b"3") == 3.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) == 0.0
    assert parse_retry_after("") is None
    assert parse_retry_after("-5") is None


def test_seeds_skip_comments_blank_lines_bom_and_duplicates():
    lines = ["\ufeff# my blogs", "http://a.fr/\r", "", "  https://café.fr/été  ", "HTTP://A.FR"]
    assert parse_seeds(lines) == ["http://a.fr/", "https://xn--caf-dma.fr/%C3%A9t%C3%A9"]


def test_every_bad_seed_line_is_reported_with_its_line_number():
    lines = [
        "http://ok.fr/",
        "www.x.fr",
        "# fine",
        "javascript:alert(1)",
        "http://" + "a" * 2100,
        "http://[::1",
    ]
    with pytest.raises(InputDataError) as info:
        parse_seeds(lines, source="seeds.txt")
    message = str(info.value)
    for number in ("seeds.txt:2:", "seeds.txt:4:", "seeds.txt:5:", "seeds.txt:6:"):
        assert number in message
    assert "seeds.txt:1:" not in message
    assert "4 bad seed line(s)" in message


def test_a_seed_list_with_only_comments_is_an_error():
    with pytest.raises(InputDataError, match="no seed URL"):
        parse_seeds(["# nothing", ""])


def test_seed_file_problems_are_input_file_errors(tmp_path):
    with pytest.raises(InputFileError, match=r"missing\.txt"):
        read_seed_file(tmp_path / "missing.txt")
    with pytest.raises(InputFileError, match="directory"):
        read_seed_file(tmp_path)


def test_seed_file_reads_utf8_bom_crlf_and_latin1(tmp_path):
    utf8 = tmp_path / "u.txt"
    utf8.write_bytes("\ufeffhttp://a.fr/\r\n# c\r\nhttp://été.fr/\r\n".encode("utf-8"))
    assert parse_seeds(read_seed_file(utf8)) == ["http://a.fr/", "http://xn--t-9fab.fr/"]
    latin = tmp_path / "l.txt"
    latin.write_bytes("http://b.fr/é\n".encode("latin-1"))
    assert parse_seeds(read_seed_file(latin)) == ["http://b.fr/%C3%A9"]
