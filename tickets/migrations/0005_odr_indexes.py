# Indexes for the Order Defect Rate (metrics.odr). Depends on 0003 on purpose: 0004 is
# being written in parallel; the two are merged by the maintainer.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0004_automation"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="atozclaim",
            index=models.Index(
                fields=["filed_at"],
                include=("order", "status", "decided_at", "buy_shipping_protected"),
                name="a_to_z_claim_filed_odr",
            ),
        ),
        migrations.AddIndex(
            model_name="chargeback",
            index=models.Index(
                fields=["filed_at"], include=("order", "kind", "status", "decided_at"), name="chargeback_filed_odr"
            ),
        ),
    ]
