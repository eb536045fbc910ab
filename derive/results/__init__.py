"""The result model: verdicts of a claim (symbolic and numeric, kept apart), certified
counterexamples, checked steps, chains and statements; their one serialiser and one formatter."""
