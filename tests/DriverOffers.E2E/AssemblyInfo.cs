// One browser and one server at a time: the machines that run CI have two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
