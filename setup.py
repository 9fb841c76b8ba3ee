"""What pyproject.toml cannot say: prompts/ goes into the wheel as package data (``assistant/prompt_files``).

The prompts stay where they live, in the top-level ``prompts/`` folder; ``assistant.prompts`` reads them
there in a checkout and from ``assistant/prompt_files`` in an installed wheel.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["assistant*", "ui*"]), "assistant.prompt_files"],
    package_dir={"assistant.prompt_files": "prompts"},
    package_data={"assistant.prompt_files": ["*.md"]},
)
