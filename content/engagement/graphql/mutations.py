"""``submitComment``: the one public mutation.

The pipeline only lets it run over POST with the ``X-Requested-With`` header
(``cms.graphql.pipeline.document``), and under the persisted-query safelist
only when its text is an operation file. The view detaches the session, so
an admin's session cookie never makes it anything but anonymous: a staff
reply is written in the admin, never here.
"""

import graphene

from cms.graphql.errors import ApiError
from content.engagement.services import CommentRejected, submit_comment


class SubmitCommentPayload(graphene.ObjectType):
    class Meta:
        description = "The outcome of a comment submission."

    accepted = graphene.Boolean(
        required=True, description="True: the comment waits for moderation."
    )
    message = graphene.String(required=True, description="What to tell the reader.")


class SubmitComment(graphene.Mutation):
    class Meta:
        description = (
            "Submit a comment on an article; it appears once a moderator "
            "approves it. Needs a form token (see `commentPolicy`)."
        )

    class Arguments:
        article = graphene.ID(required=True, description="The article's id.")
        name = graphene.String(required=True, description="Name to show.")
        email = graphene.String(
            description="Optional; never shown. Gets a link to delete the comment."
        )
        body = graphene.String(required=True, description="Plain text.")
        website = graphene.String(description="Leave empty (a honeypot for bots).")
        form_token = graphene.String(
            required=True, description="The token issued with the form."
        )

    Output = SubmitCommentPayload

    def mutate(self, info, article, name, body, form_token, email=None, website=None):
        try:
            submit_comment(
                article_id=article,
                name=name,
                email=email,
                body=body,
                website=website,
                form_token=form_token,
                request=info.context,
            )
        except CommentRejected as rejected:
            raise ApiError(
                rejected.message, code=rejected.code, **rejected.extensions
            ) from None
        return SubmitCommentPayload(
            accepted=True,
            message="Thank you: your comment will appear once a moderator approves it.",
        )


class EngagementMutation(graphene.ObjectType):
    submit_comment = SubmitComment.Field(
        description="Submit a comment on an article (moderated)."
    )
