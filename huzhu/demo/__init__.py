"""The demo city `make run` loads (`huzhu demo`) and the benchmark builds: made-up people
and posts for trying Huzhu out. No page, endpoint or task imports it."""
