"""What pyproject.toml cannot say: the top-level ``migrations/`` and ``resources/`` folders go
into the wheel as the packages ``counter_app.migrations`` and ``counter_app.resources``
(found with ``importlib.resources``), next to every package under ``counter_app/`` and
``drivers/``. Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

DATA_PACKAGES = {"counter_app.migrations": "migrations", "counter_app.resources": "resources"}

setup(
    packages=[
        *find_packages(include=["counter_app*", "drivers*"]),
        *DATA_PACKAGES,
        "counter_app.migrations.versions",  # revision scripts: modules without __init__.py
    ],
    package_dir=DATA_PACKAGES,
)
