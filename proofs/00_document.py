"""The document these proof scripts make: its title and introduction."""

from derive import Document

document = Document(
    "Entropy, Cross Entropy, KL Divergence and Maximum Likelihood, Derived and Checked",
    introduction=(
        "Cross entropy, KL divergence and maximum likelihood turn up together all over machine "
        "learning, and they are often said to be interchangeable when a model is fitted. This "
        "document makes the connections exact. It starts from the definitions, derives their "
        "sums and integrals, and then shows how the three are related: cross entropy is entropy "
        "plus KL divergence, the log loss of a classifier is its negative log-likelihood, and "
        "minimising cross entropy or KL divergence picks the same model.\n\n"
        "Each equation below is produced from the one before by a named rule, and each step is "
        "checked by machine."))
