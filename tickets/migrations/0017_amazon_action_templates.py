from django.db import migrations


def install_amazon_action_templates(apps, schema_editor):
    from tickets.outbound.defaults import AMAZON_ACTION_TEMPLATES

    MessageTemplate = apps.get_model("tickets", "MessageTemplate")
    for template in AMAZON_ACTION_TEMPLATES:
        # Never overwrite a manager's edits: create the missing ones only.
        MessageTemplate.objects.get_or_create(
            seller_account=None,
            slug=template["slug"],
            defaults={k: v for k, v in template.items() if k != "slug"},
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0016_post_delivery_contact")]

    operations = [migrations.RunPython(install_amazon_action_templates, migrations.RunPython.noop)]
