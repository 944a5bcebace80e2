"""Who must give a second factor, and the devices that hold it."""

from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def has_admin_access(user):
    return user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def needs_second_factor(user):
    """Everyone with admin access; anyone else once they have turned it on."""
    if not user.is_authenticated:
        return False
    return has_admin_access(user) or user_has_device(user, confirmed=True)


def pending_app_device(user):
    """The authenticator being set up (its secret shown until a code confirms it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new one-time codes."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def remove_devices(user):
    """Forget every device: the next sign-in starts enrolment again (a lost phone)."""
    count = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        count += 1
    return count


def match_code(user, code):
    """The confirmed device that accepts ``code`` (six digits: the app; else a recovery code)."""
    code = "".join(code.split()).lower()
    if not code:
        return None
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, kind) and device.verify_token(code):
            return device
    return None
