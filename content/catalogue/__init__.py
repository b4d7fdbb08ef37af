"""The credential catalogue (DPT, PT, NSCA-CSCS...) and the specialty
vocabulary: snippets editors manage, shared by articles and trainers."""
