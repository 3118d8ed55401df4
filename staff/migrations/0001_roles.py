from django.db import migrations


def roles_sync(apps, schema_editor):
    # The declaration lives in staff.roles (plain data); the same function runs after every
    # migrate, so models added later are granted too.
    from staff.roles import roles_sync as sync

    sync(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
