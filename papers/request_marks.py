"""A mark on a request that its response depends on who asks (a restricted page or document):
papers.access.PrivateResponseMiddleware keeps such a response out of shared caches. A leaf
module, so that code the models call (the agenda pack) can set it."""

PRIVATE_ATTR = "_board_private_response"


def mark_private(request):
    setattr(request, PRIVATE_ATTR, True)
