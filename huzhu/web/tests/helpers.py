"""Helpers shared by the web UI's tests."""

import re


def inline_code(html: str) -> list[str]:
    """Inline scripts, <style> blocks and style="" attributes: all forbidden by our CSP.
    A JSON data block (`json_script`) is never run, so the CSP lets it be."""
    scripts = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]
    return scripts + re.findall(r"<style\b", html) + re.findall(r"\sstyle=", html)
