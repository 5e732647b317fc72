"""Production settings: `invoke publish`. Everything else comes from pelicanconf.py."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The public address, without a trailing slash. The deploy workflow sets it
# from the hosting it publishes to; the default is the GitHub Pages address.
SITEURL = os.environ.get("SITEURL", "https://wikimedia-libraries.github.io").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = True
