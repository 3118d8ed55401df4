from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Staff and administrators. A custom model from the first migration, as Django advises,
    so fields can be added later without a painful swap."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
