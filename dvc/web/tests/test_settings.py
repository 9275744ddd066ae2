import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DVC_")} | env
    code = "import dvc.settings as s; print(s.SESSION_COOKIE_SECURE, s.DEBUG, s.SECURE_HSTS_SECONDS)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=False
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = load_settings(DVC_ENV="production", DVC_ALLOWED_HOSTS="dvc.gov.vn", DVC_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DVC_SECRET_KEY is required" in result.stderr


OPERATOR = {
    "DVC_MANAGING_AGENCY": "Ủy ban nhân dân Thành phố Bắc Ninh",
    "DVC_OPERATOR": "Trung tâm Phục vụ hành chính công Thành phố Bắc Ninh",
    "DVC_HOTLINE": "0222 3 822 222",
    "DVC_CONTACT_EMAIL": "dichvucong@bacninh.gov.vn",
}
GATEWAY = {
    **OPERATOR,
    "DVC_VNPAY_PAY_URL": "https://pay.vnpay.vn/vpcpay.html",
    "DVC_VNPAY_API_URL": "https://merchant.vnpay.vn/merchant_webapi/api/transaction",
    "DVC_VNPAY_TMN_CODE": "ABCD1234",
    "DVC_VNPAY_HASH_SECRET": "s" * 32,
}


def test_production_refuses_to_start_without_the_payment_gateway(tmp_path):
    result = load_settings(
        DVC_ENV="production", DVC_ALLOWED_HOSTS="dvc.gov.vn", DVC_SECRET_KEY="x" * 50, DVC_VAR_DIR=str(tmp_path),
        **OPERATOR,
    )  # fmt: skip
    assert result.returncode != 0 and "DVC_VNPAY_HASH_SECRET are required" in result.stderr


def test_production_has_secure_cookies_and_hsts(tmp_path):
    result = load_settings(
        DVC_ENV="production", DVC_ALLOWED_HOSTS="dvc.gov.vn", DVC_SECRET_KEY="x" * 50, DVC_VAR_DIR=str(tmp_path),
        **GATEWAY,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "31536000"]


def test_production_refuses_to_start_without_saying_who_runs_the_portal(tmp_path):
    """Issue 16, part 10: a citizen must be able to tell who runs the portal and how to reach them."""
    gateway = {key: value for key, value in GATEWAY.items() if key not in OPERATOR}
    result = load_settings(
        DVC_ENV="production", DVC_ALLOWED_HOSTS="dvc.gov.vn", DVC_SECRET_KEY="x" * 50, DVC_VAR_DIR=str(tmp_path),
        **gateway,
    )  # fmt: skip
    assert result.returncode != 0 and "DVC_HOTLINE and DVC_CONTACT_EMAIL are required" in result.stderr
