import factory

from dvc.agencies.models import AdminUnit, Agency, StaffRole


def province(code: str = "01") -> AdminUnit:
    return AdminUnit.objects.get(level=AdminUnit.Level.PROVINCE, code=code)


def commune(code: str = "00004") -> AdminUnit:
    return AdminUnit.objects.get(level=AdminUnit.Level.COMMUNE, code=code)


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"000.{n % 100:02d}.{n // 100 % 100:02d}.H26")
    name = factory.Sequence(lambda n: f"Trung tâm Phục vụ hành chính công số {n}")
    kind = Agency.Kind.COMMUNE_CENTRE
    level = Agency.Level.COMMUNE
    admin_unit = factory.LazyFunction(commune)


class StaffRoleFactory(factory.django.DjangoModelFactory[StaffRole]):
    class Meta:
        model = StaffRole

    user = factory.SubFactory("dvc.accounts.tests.factories.UserFactory")
    agency = factory.SubFactory(AgencyFactory)
    role = StaffRole.Role.ONE_STOP_OFFICER
