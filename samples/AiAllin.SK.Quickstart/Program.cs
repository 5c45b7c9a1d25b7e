Console.WriteLine("qs");
