# Index for the Order Defect Rate (metrics.odr). Depends on 0001 only: other reviews
# migrations are being written in parallel; the maintainer merges them.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_review_themes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="sellerfeedback",
            index=models.Index(
                condition=models.Q(("rating__lte", 2)),
                fields=["left_at"],
                include=("order", "removed", "removed_at"),
                name="feedback_negative_left_odr",
            ),
        ),
    ]
