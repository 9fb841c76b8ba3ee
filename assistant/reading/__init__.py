"""The reading layer: every source format turned into one document type (lines and span-true grids).

``assistant.reading.document`` holds that type; readers per format and the shared decoding,
archive checks and limits live beside it. Consumers (the report importer, notes, ledgers, pasted
text) read documents without knowing which format they came from.
"""
