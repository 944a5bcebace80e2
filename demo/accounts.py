"""Demo sign-in accounts. Group membership is added by the roles step."""

from django.contrib.auth import get_user_model

ACCOUNTS = [
    # username, first name, last name, superuser
    ("admin", "Site", "Administrator", True),
    ("officer", "Priya", "Okafor", False),
    ("chair", "Helen", "Marsh", False),
    ("member", "Tom", "Ashdown", False),
    ("councillor", "Ruth", "Kilbride", False),
    # A new board member who has not yet done the training required before board papers.
    ("trainee", "Graham", "Whitlock", False),
]


def seed(ctx):
    User = get_user_model()
    for username, first_name, last_name, is_superuser in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.gov.uk",
                "is_superuser": is_superuser,
                "is_staff": is_superuser,
            },
        )
        if created or not user.check_password(ctx.password):
            user.set_password(ctx.password)
            user.save()
        ctx.users[username] = user
