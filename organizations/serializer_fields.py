"""Serializer fields the apps' APIs share."""

from rest_framework import serializers


class CodeRelatedField(serializers.SlugRelatedField):
    """An object named by its code. A code holding a NUL character is refused as not found
    before any query: PostgreSQL cannot compare text with NUL and would answer a 500."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)
