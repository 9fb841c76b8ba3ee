"""Talking to an OpenAI-compatible model: one transport shared by the chat engine and drafting.

- ``parse``: lenient reading of what a model wrote (thinking blocks, prose around JSON, fences,
  broken JSON, wrappers, double encoding, Hermes ``<tool_call>``), with one strict JSON loader;
- ``schema``: the pydantic models an answer is validated against (the JSON Schema sent is
  generated from them), and the checks they carry (cell ids, value kinds, evidence);
- ``budget``: what a chat turn sends (a compact legend of only the cells a message can concern);
- ``transport``: the HTTP call through the ``openai`` client (methods, fallback between them,
  streaming, truncation, errors said in Chinese with the provider's own words);
- ``structured``: one structured answer with bounded re-asks for only what failed;
- ``text``: drafting's call (prose, or JSON with a ``text``);
- ``urls``: credentials never leave a base URL for a screen, a log or a notice.

Nothing here imports streamlit; ``openai`` is imported only when a call is made.
"""
