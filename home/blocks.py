"""Blocks of the organisation settings: typed social links."""

from wagtail import blocks


class SocialPlatform(blocks.ChoiceBlock):
    choices = [
        ("facebook", "Facebook"),
        ("instagram", "Instagram"),
        ("youtube", "YouTube"),
        ("google", "Google"),
        ("jane_app", "Jane App"),
    ]


class SocialLinkBlock(blocks.StructBlock):
    platform = SocialPlatform()
    url = blocks.URLBlock()
    link_text = blocks.CharBlock(
        max_length=120, help_text="e.g. Check us out on Facebook!"
    )

    class Meta:
        icon = "link"
