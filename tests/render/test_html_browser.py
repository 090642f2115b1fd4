"""The web page in a real browser: headless Chromium from Debian's packages, driven by
Selenium with the system chromedriver (Selenium never downloads a browser or a driver).
It types in the search box, applies filters, clicks copy, and checks that a hostile title or
URL runs no script; it leaves a screenshot at /tmp/plm_bib_html.png."""
import os
import shutil

import pytest
from conftest import need, need_tools

from plm_bib import Library
from plm_bib.model import Link, Person, Record
from plm_bib.render.html_page import html_page

SCREENSHOT = "/tmp/plm_bib_html.png"
HAND = "Hand <made> & co"
PWN_TITLE = '<img src=x onerror="window.__pwned=1"> Pwn attempt'


def _hand_made():
    return [
        Record(key="old1999", title=PWN_TITLE, kind="paper", entry_type="article", year=1999, venue="Old Venue",
               authors=(Person("Quux", "Q"),), sections=((HAND,),),
               notes=("</script><script>window.__pwned=2</script>",),
               urls=(Link("javascript:window.__pwned=3", "paper"),)),
        Record(key="old1998", title="Another hand-made paper", kind="paper", entry_type="article", year=1998,
               venue="Old Venue", authors=(Person("Quux", "Q"),), sections=((HAND,),)),
    ]


@pytest.fixture(scope="module")
def browser():
    need_tools("chromium", "chromedriver")
    webdriver = need("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1800",
                "--disable-dev-shm-usage", "--lang=en-US"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def lib(builtin):
    assert not [r for r in builtin if r.year in (1998, 1999)]  # the hand-made years are the only ones
    return Library(list(builtin) + _hand_made(), title=builtin.title)


@pytest.fixture(scope="module")
def opened(browser, lib, tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "list.html"
    path.write_text(html_page(lib, style="apa"), encoding="utf-8")
    browser.get(path.as_uri())
    return browser


def _visible(driver):
    return [li.get_attribute("data-key") for li in driver.find_elements("css selector", "li.rec")
            if li.is_displayed()]


def _status(driver):
    return driver.find_element("id", "status").text


def test_a_hostile_title_or_url_runs_no_script(opened):
    assert opened.execute_script("return typeof window.__pwned") == "undefined"
    assert PWN_TITLE in opened.find_element("css selector", 'li[data-key="old1999"] .ref').text
    assert not opened.find_elements("css selector", 'a[href^="javascript:"]')
    assert not opened.find_elements("css selector", "li.rec img")
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        opened.switch_to.alert.text  # noqa: B018
    rec = opened.find_element("css selector", 'li[data-key="old1999"]')
    opened.execute_script("arguments[0].scrollIntoView(); arguments[0].querySelector('details').open = true", rec)
    opened.save_screenshot("/tmp/plm_bib_html_hostile.png")
    opened.execute_script("arguments[0].querySelector('details').open = false; window.scrollTo(0, 0)", rec)


def test_nothing_hidden_at_first_and_the_screenshot(opened, lib):
    assert _status(opened) == f"{len(lib)} of {len(lib)} records shown"
    assert set(_visible(opened)) == set(lib.keys())
    assert len(opened.find_elements("css selector", "#charts svg")) == 2
    opened.save_screenshot(SCREENSHOT)
    assert os.path.getsize(SCREENSHOT) > 10_000


def test_search_as_you_type(opened, lib):
    box = opened.find_element("id", "q")
    box.send_keys("bert spelling")  # Library.search's doctest: the one record with both words
    assert set(_visible(opened)) == {"zhang2020spelling"}
    assert _status(opened) == f"1 of {len(lib)} records shown"
    box.clear()
    box.send_keys("鲁棒性")  # the list's note on RoBERTa
    assert set(_visible(opened)) == {"liu2019roberta"}
    box.clear()
    box.send_keys("no such words anywhere")
    assert _visible(opened) == [] and opened.find_element("id", "none").is_displayed()
    # headings of sections with nothing shown are hidden too
    assert not [h for h in opened.find_elements("css selector", "section.sec > h2") if h.is_displayed()]
    box.clear()
    box.send_keys(" ")
    assert set(_visible(opened)) == set(lib.keys())


def test_filters(opened, lib):
    from selenium.webdriver.support.ui import Select

    Select(opened.find_element("id", "f-year")).select_by_visible_text("1999")
    assert _visible(opened) == ["old1999"]
    Select(opened.find_element("id", "f-year")).select_by_visible_text("all years")
    Select(opened.find_element("id", "f-section")).select_by_visible_text(HAND)
    assert sorted(_visible(opened)) == ["old1998", "old1999"]
    headings = [h.text for h in opened.find_elements("css selector", "section.sec > h2") if h.is_displayed()]
    assert headings == [HAND]
    Select(opened.find_element("id", "f-section")).select_by_visible_text("all sections")
    Select(opened.find_element("id", "f-kind")).select_by_visible_text("resources")
    assert set(_visible(opened)) == {r.key for r in lib if r.kind == "resource"}
    Select(opened.find_element("id", "f-kind")).select_by_visible_text("papers and resources")
    Select(opened.find_element("id", "f-venue")).select_by_visible_text("Findings of EMNLP")
    assert _visible(opened) == ["cui2020revisiting"]
    opened.find_element("css selector", "#tools button[type=reset]").click()
    assert set(_visible(opened)) == set(lib.keys())


def test_copy_bibtex_says_copied_and_fills_the_clipboard(opened, lib):
    # reading the clipboard back needs the permission (no origin: every origin, file: too)
    opened.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["clipboardReadWrite",
                                                                        "clipboardSanitizedWrite"]})
    button = opened.find_element("css selector", 'li[data-key="devlin2019bert"] button.copy')
    assert button.tag_name == "button" and button.text == "Copy BibTeX"
    button.click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(opened, 5).until(lambda d: d.find_element("id", "copied").text)
    assert opened.find_element("id", "copied").text == "Copied the BibTeX of devlin2019bert"
    clip = opened.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, function (e) { done('unreadable: ' + e); });")
    assert clip == lib["devlin2019bert"].bibtex
    opened.save_screenshot("/tmp/plm_bib_html_copied.png")


def test_copy_without_the_clipboard_api_uses_the_textarea(opened, lib):
    opened.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["clipboardReadWrite",
                                                                        "clipboardSanitizedWrite"]})
    read = opened.execute_script("var c = navigator.clipboard; window.__read = c.readText.bind(c); "
                                 "Object.defineProperty(navigator, 'clipboard', {value: undefined, "
                                 "configurable: true}); return typeof navigator.clipboard")
    assert read == "undefined"
    opened.find_element("css selector", 'li[data-key="old1998"] button.copy').click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(opened, 5).until(lambda d: "old1998" in d.find_element("id", "copied").text)
    assert opened.find_element("id", "copied").text == "Copied the BibTeX of old1998"
    assert not opened.find_elements("css selector", "textarea")  # the helper is gone again
    clip = opened.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "window.__read().then(done, function (e) { done('unreadable: ' + e); });")
    assert clip == lib["old1998"].bibtex


def test_keyboard_reaches_the_search_box_and_a_copy_button(opened):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    opened.refresh()
    ActionChains(opened).send_keys(Keys.TAB).perform()  # the skip link first
    assert opened.switch_to.active_element.get_attribute("class") == "skip"
    ActionChains(opened).send_keys(Keys.TAB).perform()
    assert opened.switch_to.active_element.get_attribute("id") == "q"
    button = opened.find_element("css selector", 'li[data-key="old1998"] button.copy')
    opened.execute_script("arguments[0].focus()", button)
    opened.switch_to.active_element.send_keys(Keys.ENTER)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(opened, 5).until(lambda d: "old1998" in d.find_element("id", "copied").text)
