import datetime as dt
import functools

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dvc.accounts.models import User
from dvc.agencies.tests.factories import commune, province

PASSWORD = "Matkhau@123"


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory[User]):
    """An active citizen by default; traits give the other lifecycle states."""

    class Meta:
        model = User

    kind = User.Kind.CITIZEN
    # 001 = Hà Nội, 0 = male born 1900s, 85 = born 1985.
    id_number = factory.Sequence(lambda n: f"001085{n:06d}")
    full_name = "Nguyễn Văn An"
    birth_date = dt.date(1985, 3, 12)
    sex = User.Sex.MALE
    phone = factory.Sequence(lambda n: f"+8491{n % 10_000_000:07d}")
    email = ""
    province = factory.LazyFunction(province)
    commune = factory.LazyFunction(commune)
    is_active = True
    phone_verified_at = factory.LazyFunction(timezone.now)
    # One real argon2 hash of PASSWORD, computed once: hashing costs ~0.2 s and tests create many users.
    password = factory.LazyFunction(lambda: _password_hash())

    class Params:
        pending = factory.Trait(is_active=False, phone_verified_at=None)
        disabled = factory.Trait(is_active=False)
