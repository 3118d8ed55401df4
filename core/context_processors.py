from django.conf import settings


def site(request):
    return {
        "ORGANIZATION_NAME": settings.ORGANIZATION_NAME,
        "ORGANIZATION_LEGAL_NAME": settings.ORGANIZATION_LEGAL_NAME,
    }
